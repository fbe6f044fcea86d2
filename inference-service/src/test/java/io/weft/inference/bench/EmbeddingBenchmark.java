package io.weft.inference.bench;

import io.weft.inference.embedding.LocalEmbeddings;
import java.util.ArrayList;
import java.util.List;
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
 * The in-process embedding model's throughput: batches of {@code batch} English chunks of about
 * 256 tokens (~1,100 characters each, all different). Chunks a second = batch × batches a second.
 * Run with {@code ./weft bench inference}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class EmbeddingBenchmark {
    private static final String[] SENTENCES = {
            "Employees may work from home up to three days a week after their probation period ends.",
            "Requests for remote work are approved by the team lead and recorded in the HR system.",
            "Travel expenses are reimbursed within thirty days when the receipts are attached to the claim.",
            "The office is closed on public holidays, and the support rota covers urgent customer issues.",
            "Security badges must be worn at all times inside the building and returned on the last day.",
            "Annual leave is twenty-five days, plus one day for each year of service after the fifth year.",
            "Laptops are encrypted, and lost devices must be reported to the service desk within an hour.",
            "Parental leave policies apply equally to all parents, including adoptive and foster parents.",
            "Training budgets are set per team; courses longer than a week need a manager's approval.",
            "Customer data may only be exported with the data protection officer's written agreement."};

    @Param({"32"})
    public int batch;

    private final LocalEmbeddings model = new LocalEmbeddings();
    private final List<List<String>> batches = new ArrayList<>();
    private int next;

    @Setup
    public void setUp() {
        for (int b = 0; b < 16; b++) {
            List<String> chunks = new ArrayList<>();
            for (int c = 0; c < batch; c++) {
                StringBuilder chunk = new StringBuilder("Section " + b + "." + c + ". ");
                for (int s = 0; chunk.length() < 1_100; s++) {
                    chunk.append(SENTENCES[(b * 7 + c * 3 + s) % SENTENCES.length]).append(' ');
                }
                chunks.add(chunk.toString());
            }
            batches.add(chunks);
        }
        model.embed(batches.get(0));
    }

    @Benchmark
    public List<float[]> embedBatch() {
        return model.embed(batches.get(next++ % batches.size()));
    }
}
