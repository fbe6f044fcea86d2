package io.weft.executor.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The items a failed node sends through its {@code error} output: each input item with an {@code error} member. */
final class ErrorItems {

    private ErrorItems() {
    }

    static List<Item> describe(List<Item> inputs, NodeFailure failure) {
        List<Item> described = new ArrayList<>(inputs.size());
        for (Item input : inputs) {
            ObjectNode json = input.json().deepCopy();
            json.putObject("error")
                    .put("kind", failure.kind().name())
                    .put("retryable", failure.retryable())
                    .put("message", failure.getMessage());
            described.add(new Item(json, input.binary()));
        }
        return described;
    }
}
