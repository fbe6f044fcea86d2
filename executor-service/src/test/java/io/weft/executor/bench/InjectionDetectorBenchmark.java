package io.weft.executor.bench;

import io.weft.executor.ai.InjectionDetector;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The prompt-injection detector's time per text of {@code kilobytes} KB, made of the labelled
 * corpus's benign texts ({@code benign}) or its attacks ({@code attacks}) one after another. Run with
 * {@code ./weft bench executor InjectionDetectorBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InjectionDetectorBenchmark {
    @Param({"1", "16"})
    public int kilobytes;

    @Param({"benign", "attacks"})
    public String corpus;

    private final InjectionDetector detector = new InjectionDetector();
    private String text;

    @Setup
    public void setUp() throws Exception {
        StringBuilder all = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(InjectionDetectorBenchmark.class.getResourceAsStream(
                "/prompt-injection/" + corpus + ".jsonl"), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                all.append(io.weft.contracts.json.WeftJson.mapper().readTree(line).path("text").asText()).append("\n\n");
            }
        }
        while (all.length() < kilobytes * 1024) {
            all.append(all);
        }
        text = all.substring(0, kilobytes * 1024);
    }

    @Benchmark
    public InjectionDetector.Verdict scan() {
        return detector.scan(text);
    }
}
