package io.weft.inference.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.json.WeftJson;
import io.weft.inference.extraction.TestDocuments;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A long PDF ingested end to end on the running fleet ({@code ./weft bench ingest [pages]}): a
 * PDF of {@code pages} pages of prose (default 300, ~3,000 characters a page) is uploaded through
 * the gateway into a new knowledge base of the default settings (in-process model, chunks of 1,000
 * characters), and the job is followed until it ends: how long it queued, extracted and embedded,
 * and inference-service's resident memory before and at its peak ({@code VmHWM}; the pid comes in
 * {@code WEFT_INFERENCE_PID}). The peak is the process's since it started: run it on a fresh
 * inference-service for a figure of the ingest alone.
 */
public final class IngestLoad {
    private static final String[] WORDS = ("policy staff leave travel expense approval contract salary holiday report manager "
            + "office security laptop password training customer invoice payment supplier warehouse delivery schedule budget "
            + "review quarter meeting project deadline request account access system backup incident response team customer "
            + "service quality audit compliance record retention safety equipment vehicle insurance claim benefit pension").split(" ");

    private IngestLoad() {
    }

    public static void main(String[] args) throws Exception {
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        String gateway = System.getenv().getOrDefault("WEFT_GATEWAY_URL", "http://127.0.0.1:8080");
        String pid = System.getenv("WEFT_INFERENCE_PID");
        HttpClient http = HttpClient.newHttpClient();

        byte[] pdf = TestDocuments.pdf(prose(pages, new Random(42)));
        System.out.printf("a PDF of %d pages, %,d bytes%n", pages, pdf.length);
        String email = "ingest-" + UUID.randomUUID() + "@example.com";
        String token = send(http, json(gateway + "/api/auth/signup", null,
                "{\"organisation\":\"Ingest load\",\"email\":\"" + email + "\",\"password\":\"a long enough password\"}"))
                .get("accessToken").asText();
        String base = send(http, json(gateway + "/api/inference/knowledge-bases", token, "{\"name\":\"Long PDF\"}")).get("id").asText();
        long residentBefore = memory(pid, "VmRSS");

        long started = System.nanoTime();
        String job = send(http, upload(gateway + "/api/inference/knowledge-bases/" + base + "/documents", token, pdf)).get("id").asText();
        long accepted = System.nanoTime();
        long running = 0;
        JsonNode state;
        while (true) {
            state = send(http, HttpRequest.newBuilder(URI.create(gateway + "/api/inference/knowledge-bases/" + base + "/jobs/" + job))
                    .header("Authorization", "Bearer " + token).build());
            String status = state.get("status").asText();
            if (running == 0 && !"queued".equals(status)) {
                running = System.nanoTime();
            }
            if (!"queued".equals(status) && !"running".equals(status)) {
                break;
            }
            Thread.sleep(100);
        }
        long ended = System.nanoTime();
        int chunks = state.path("progress").path("chunks").asInt();
        double embedSeconds = (ended - running) / 1e9;
        System.out.printf("job %s: %s after %.1f s (upload answered in %.0f ms, queued %.2f s, ran %.1f s), attempt %d%n", job,
                state.get("status").asText(), (ended - started) / 1e9, (accepted - started) / 1e6, (running - accepted) / 1e9,
                embedSeconds, state.get("attempts").asInt());
        System.out.printf("%d chunks, %d embedded: %.0f chunks/s over the job's run (extraction, chunking, embedding, writing)%n", chunks,
                state.path("progress").path("embedded").asInt(), chunks / embedSeconds);
        if (pid != null) {
            System.out.printf("inference-service resident memory: %d MiB before the upload, peak %d MiB (VmHWM)%n", residentBefore >> 10,
                    memory(pid, "VmHWM") >> 10);
        }
    }

    /** Pages of sentences of the vocabulary: ~40 lines of ~75 characters, a heading every page. */
    static List<List<String>> prose(int pages, Random random) {
        List<List<String>> document = new ArrayList<>(pages);
        for (int page = 0; page < pages; page++) {
            List<String> lines = new ArrayList<>();
            lines.add("Section " + (page + 1) + ": " + WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)]);
            StringBuilder line = new StringBuilder();
            while (lines.size() < 40) {
                StringBuilder sentence = new StringBuilder();
                int words = 6 + random.nextInt(12);
                for (int w = 0; w < words; w++) {
                    String word = WORDS[random.nextInt(WORDS.length)];
                    sentence.append(w == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word).append(w + 1 < words ? " " : ". ");
                }
                if (line.length() + sentence.length() > 75) {
                    lines.add(line.toString().strip());
                    line.setLength(0);
                }
                line.append(sentence);
            }
            document.add(lines);
        }
        return document;
    }

    private static long memory(String pid, String field) throws Exception {
        if (pid == null) {
            return 0;
        }
        for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    private static HttpRequest json(String url, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private static HttpRequest upload(String url, String token, byte[] pdf) {
        String boundary = "weft-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"long.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, pdf, tail))).build();
    }

    private static JsonNode send(HttpClient http, HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return WeftJson.mapper().readTree(response.body());
    }
}
