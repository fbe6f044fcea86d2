package io.weft.contracts.events;

/** One {@code console.log/info/debug/warn/error} call of a node's script, as the script wrote it. */
public record ConsoleLine(String level, String line) {
}
