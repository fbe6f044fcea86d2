package io.weft.executor.nodes.integrations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.Item;
import io.weft.executor.engine.NodeOutput;
import io.weft.executor.engine.NodeRun;
import io.weft.executor.outbound.OutboundHttp;
import io.weft.platform.net.OutboundAddresses;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Google Sheets ({@code integration.googleSheets}), with a {@code googleSheetsOAuth2Api} or
 * {@code googleServiceAccount} credential: reads a sheet (its first row names the columns; one item
 * per row, up to {@code limit}), appends the items as rows (in the header's column order; a sheet
 * without a header gets one from the items' fields), updates the rows whose {@code matchColumn}
 * holds an item's value, clears a range, or adds a sheet. Appends and added sheets are recorded in
 * the run's checkpoint, so a retried or resumed node does not write them twice. The operation, the
 * spreadsheet and the sheet are the first item's; {@code columns} is each item's.
 */
@Singleton
public class GoogleSheetsNode extends IntegrationNode<GoogleSheetsNode.Parameters> {
    static final List<String> CREDENTIAL_TYPES = List.of("googleSheetsOAuth2Api", "googleServiceAccount");
    static final String SCOPE = "https://www.googleapis.com/auth/spreadsheets";

    public record Parameters(String operation, String spreadsheetId, String sheet, String range, Integer limit, JsonNode columns,
                             String matchColumn, String valueInputOption, String title, String toolDescription) {
    }

    private final OutboundHttp http;
    private final URI base;

    @Inject
    public GoogleSheetsNode(@ConfigProperty(name = "weft.executor.integrations.google-sheets-url",
            defaultValue = "https://sheets.googleapis.com") URI base,
                            @ConfigProperty(name = "weft.executor.http.allowed-networks") Optional<List<String>> allowedNetworks) {
        this(base, new OutboundAddresses(allowedNetworks.orElse(List.of())));
    }

    public GoogleSheetsNode(URI base, OutboundAddresses addresses) {
        super("integration.googleSheets", Parameters.class, "Google Sheets", CREDENTIAL_TYPES);
        this.base = base;
        this.http = new OutboundHttp(addresses);
    }

    @Override
    public NodeOutput run(NodeRun run) {
        if (run.items().isEmpty()) {
            return NodeOutput.main(List.of());
        }
        GoogleApi sheets = GoogleApi.of(http, credential(run), run.clock(), "Google Sheets", SCOPE,
                refused -> credentialAfterRefusal(run, refused));
        Parameters first = parameters(run, 0);
        return NodeOutput.main(switch (first.operation()) {
            case "read" -> read(run, sheets, first);
            case "append" -> List.of(Item.of(run.once("sheets:append", () -> append(run, sheets, first))));
            case "update" -> update(run, sheets, first);
            case "clear" -> List.of(Item.of(cleared(run, sheets, first)));
            case "createSheet" -> List.of(Item.of(run.once("sheets:createSheet", () -> created(run, sheets, first))));
            default -> throw invalid(run, "operation " + first.operation() + " is not one of Google Sheets'");
        });
    }

    /** One row per item after the header, its cells under the header's names, and its rowNumber in the sheet. */
    private List<Item> read(NodeRun run, GoogleApi sheets, Parameters parameters) {
        ArrayNode rows = values(run, sheets, parameters, range(run, parameters));
        List<Item> out = new ArrayList<>();
        List<String> header = rows.isEmpty() ? List.of() : texts(rows.get(0));
        int firstRow = firstRow(parameters.range());
        for (int i = 1; i < rows.size() && out.size() < parameters.limit(); i++) {
            ObjectNode item = WeftJson.mapper().createObjectNode();
            JsonNode row = rows.get(i);
            for (int column = 0; column < header.size(); column++) {
                JsonNode cell = row.path(column);
                item.set(header.get(column), cell.isMissingNode() ? WeftJson.mapper().getNodeFactory().textNode("") : cell);
            }
            item.put("rowNumber", firstRow + i);
            out.add(Item.of(item));
        }
        return out;
    }

    /** Every item as one row, in the header's column order, in one call. */
    private ObjectNode append(NodeRun run, GoogleApi sheets, Parameters parameters) {
        String sheet = sheet(run, parameters);
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            records.add(fields(run, i));
        }
        ArrayNode headerRow = values(run, sheets, parameters, sheet + "!1:1");
        List<String> header = headerRow.isEmpty() ? List.of() : texts(headerRow.get(0));
        ArrayNode values = WeftJson.mapper().createArrayNode();
        if (header.isEmpty()) {
            Set<String> names = new LinkedHashSet<>();
            records.forEach(record -> record.fieldNames().forEachRemaining(names::add));
            header = List.copyOf(names);
            ArrayNode written = values.addArray();
            header.forEach(written::add);
        }
        for (ObjectNode record : records) {
            ArrayNode row = values.addArray();
            for (String column : header) {
                row.add(record.has(column) ? cell(record.get(column)) : WeftJson.mapper().getNodeFactory().textNode(""));
            }
        }
        ObjectNode body = WeftJson.mapper().createObjectNode();
        body.put("majorDimension", "ROWS").set("values", values);
        JsonNode answer = sheets.post(URI.create(spreadsheet(run, parameters) + "/values/" + GoogleApi.encoded(sheet) + ":append"
                + "?valueInputOption=" + parameters.valueInputOption() + "&insertDataOption=INSERT_ROWS"), body);
        JsonNode updates = answer.path("updates");
        return WeftJson.mapper().createObjectNode().put("spreadsheetId", parameters.spreadsheetId())
                .put("updatedRange", updates.path("updatedRange").asText("")).put("rows", records.size())
                .put("updatedCells", updates.path("updatedCells").asInt());
    }

    /** Each item's fields written into the rows whose matchColumn holds the item's value there; other cells stay. */
    private List<Item> update(NodeRun run, GoogleApi sheets, Parameters parameters) {
        String sheet = sheet(run, parameters);
        String match = required(run, parameters.operation(), "matchColumn", parameters.matchColumn());
        ArrayNode rows = values(run, sheets, parameters, sheet);
        List<String> header = rows.isEmpty() ? List.of() : texts(rows.get(0));
        int key = header.indexOf(match);
        if (key < 0) {
            throw invalid(run, "the sheet's header has no column " + match + " (it has " + header + ")");
        }
        ArrayNode data = WeftJson.mapper().createArrayNode();
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < run.items().size(); i++) {
            ObjectNode record = fields(run, i);
            if (!record.has(match)) {
                throw invalid(run, "item " + i + " has no " + match + " to match rows on");
            }
            String wanted = record.get(match).asText();
            ArrayNode matched = WeftJson.mapper().createArrayNode();
            for (int r = 1; r < rows.size(); r++) {
                if (!rows.get(r).path(key).asText("").equals(wanted)) {
                    continue;
                }
                ArrayNode row = WeftJson.mapper().createArrayNode();
                for (int column = 0; column < header.size(); column++) {
                    JsonNode given = record.get(header.get(column));
                    row.add(given != null ? cell(given) : rows.get(r).path(column).isMissingNode()
                            ? WeftJson.mapper().getNodeFactory().textNode("") : rows.get(r).get(column));
                }
                ObjectNode range = data.addObject().put("range", sheet + "!A" + (r + 1) + ":" + column(header.size()) + (r + 1));
                range.putArray("values").add(row);
                matched.add(r + 1);
            }
            ObjectNode result = record.deepCopy();
            result.set("updatedRows", matched);
            out.add(Item.of(result));
        }
        if (!data.isEmpty()) {
            ObjectNode body = WeftJson.mapper().createObjectNode().put("valueInputOption", parameters.valueInputOption());
            body.set("data", data);
            sheets.post(URI.create(spreadsheet(run, parameters) + "/values:batchUpdate"), body);
        }
        return out;
    }

    private ObjectNode cleared(NodeRun run, GoogleApi sheets, Parameters parameters) {
        JsonNode answer = sheets.post(URI.create(spreadsheet(run, parameters) + "/values/" + GoogleApi.encoded(range(run, parameters))
                + ":clear"), WeftJson.mapper().createObjectNode());
        return WeftJson.mapper().createObjectNode().put("spreadsheetId", parameters.spreadsheetId())
                .put("clearedRange", answer.path("clearedRange").asText(""));
    }

    private ObjectNode created(NodeRun run, GoogleApi sheets, Parameters parameters) {
        ObjectNode body = WeftJson.mapper().createObjectNode();
        body.putArray("requests").addObject().putObject("addSheet").putObject("properties")
                .put("title", required(run, parameters.operation(), "title", parameters.title()));
        JsonNode properties = sheets.post(URI.create(spreadsheet(run, parameters) + ":batchUpdate"), body)
                .path("replies").path(0).path("addSheet").path("properties");
        return WeftJson.mapper().createObjectNode().put("spreadsheetId", parameters.spreadsheetId())
                .put("sheetId", properties.path("sheetId").asLong()).put("title", properties.path("title").asText(parameters.title()));
    }

    private ArrayNode values(NodeRun run, GoogleApi sheets, Parameters parameters, String range) {
        JsonNode answer = sheets.get(URI.create(spreadsheet(run, parameters) + "/values/" + GoogleApi.encoded(range)
                + "?majorDimension=ROWS&valueRenderOption=UNFORMATTED_VALUE"));
        return answer.path("values") instanceof ArrayNode rows ? rows : WeftJson.mapper().createArrayNode();
    }

    /** What item {@code index} writes: the {@code columns} parameter when given (usually expressions), else the item's own fields. */
    private ObjectNode fields(NodeRun run, int index) {
        JsonNode columns = parameters(run, index).columns();
        if (columns != null && !columns.isNull()) {
            if (!columns.isObject()) {
                throw invalid(run, "columns must be an object of column name → value");
            }
            return (ObjectNode) columns;
        }
        ObjectNode own = run.items().get(index).json().deepCopy();
        own.remove("rowNumber");
        return own;
    }

    /** A cell's value: numbers and booleans as they are, text as text, objects and lists as their JSON. */
    private static JsonNode cell(JsonNode value) {
        return value.isValueNode() ? value : WeftJson.mapper().getNodeFactory().textNode(value.toString());
    }

    private String spreadsheet(NodeRun run, Parameters parameters) {
        return base + "/v4/spreadsheets/" + GoogleApi.encoded(id(run, parameters));
    }

    private static String id(NodeRun run, Parameters parameters) {
        return required(run, parameters.operation(), "spreadsheetId", parameters.spreadsheetId());
    }

    private static String sheet(NodeRun run, Parameters parameters) {
        return required(run, parameters.operation(), "sheet", parameters.sheet());
    }

    /** The sheet, or the range within it ({@code A1:D100}), in A1 notation. */
    private static String range(NodeRun run, Parameters parameters) {
        String sheet = sheet(run, parameters);
        return parameters.range() == null || parameters.range().isBlank() ? sheet : sheet + "!" + parameters.range().strip();
    }

    /** The sheet row the range starts on (1 for a whole sheet). */
    private static int firstRow(String range) {
        if (range == null) {
            return 1;
        }
        java.util.regex.Matcher start = java.util.regex.Pattern.compile("^[A-Za-z]*(\\d+)").matcher(range.strip());
        return start.find() ? Integer.parseInt(start.group(1)) : 1;
    }

    /** The letters of column {@code n} (1 → A, 27 → AA). */
    static String column(int n) {
        StringBuilder letters = new StringBuilder();
        for (int rest = n; rest > 0; rest = (rest - 1) / 26) {
            letters.insert(0, (char) ('A' + (rest - 1) % 26));
        }
        return letters.toString();
    }

    private static List<String> texts(JsonNode row) {
        List<String> texts = new ArrayList<>();
        for (Iterator<JsonNode> cells = row.elements(); cells.hasNext(); ) {
            texts.add(cells.next().asText());
        }
        return texts;
    }

}
