package io.weft.inference.ingest;

import io.weft.inference.chunking.Chunker;
import io.weft.inference.documents.Document;
import io.weft.inference.documents.DocumentStore;
import io.weft.inference.embedding.Embedders;
import io.weft.inference.embedding.Vectors;
import io.weft.inference.extraction.ExtractionFailure;
import io.weft.inference.extraction.TextExtractor;
import io.weft.inference.ingest.DocumentWriter.ChunkRow;
import io.weft.inference.ingest.DocumentWriter.Outcome;
import io.weft.inference.ingest.DocumentWriter.Version;
import io.weft.inference.ingest.IngestJobStore.Claim;
import io.weft.inference.knowledge.KnowledgeBase;
import io.weft.inference.knowledge.KnowledgeBaseStore;
import io.weft.inference.providers.ProviderFailures;
import io.weft.platform.problems.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs one ingest job on this replica: claims it, extracts the text, splits it as the knowledge
 * base says, embeds the chunks whose text the knowledge base has no embedding for yet with its model
 * (in-process, or its provider's with the tenant's credential; in batches, renewing the claim's
 * lease with the progress), and writes the document and its chunks in one transaction. A document
 * whose text cannot be had, or a credential or model the tenant must fix, fails at once; anything
 * else (the database, a provider's outage or rate limit, a crash) is retried, by this replica or
 * another, up to the attempts allowed. Blocking: it runs on the ingest consumer's worker thread.
 */
@ApplicationScoped
public class Ingestion {
    private static final Logger LOG = Logger.getLogger(Ingestion.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);
    static final int EMBEDDING_BATCH = 32;

    /** The job was taken from this replica (its lease ran out), or it ended meanwhile (deleted, superseded). */
    private static final class Lost extends RuntimeException {
        Lost() {
            super(null, null, false, false);
        }
    }

    private final IngestJobStore jobs;
    private final KnowledgeBaseStore bases;
    private final DocumentStore documents;
    private final DocumentWriter writer;
    private final Embedders embedders;
    private final IngestSettings settings;
    private final String owner = ownerName();

    Ingestion(IngestJobStore jobs, KnowledgeBaseStore bases, DocumentStore documents, DocumentWriter writer, Embedders embedders,
              IngestSettings settings) {
        this.jobs = jobs;
        this.bases = bases;
        this.documents = documents;
        this.writer = writer;
        this.embedders = embedders;
        this.settings = settings;
    }

    /** Runs the job if it is queued; does nothing when another replica has it or it has ended. */
    public void run(UUID tenant, UUID jobId) {
        Optional<Claim> claimed = jobs.claim(tenant, jobId, owner, settings.lease()).await().atMost(STORE_TIMEOUT);
        if (claimed.isEmpty()) {
            return;
        }
        Claim claim = claimed.get();
        try {
            Outcome outcome = ingest(claim);
            LOG.debugf("ingest job %s of tenant %s: %s", jobId, tenant, outcome);
        } catch (ExtractionFailure failure) {
            jobs.fail(claim, failure.reason().code(), failure.getMessage()).await().atMost(STORE_TIMEOUT);
        } catch (Lost lost) {
            LOG.infof("ingest job %s of tenant %s was taken over or ended while this replica ran it; its work here is dropped", jobId, tenant);
        } catch (RuntimeException e) {
            LOG.warnf(e, "ingest job %s of tenant %s failed on attempt %d", jobId, tenant, claim.attempt());
            String message = "the ingest failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            if (claim.attempt() >= settings.maxAttempts()) {
                jobs.fail(claim, "ingest-failed", message + " (after " + claim.attempt() + " attempts)").await().atMost(STORE_TIMEOUT);
            } else {
                jobs.retryLater(claim, message, settings.backoff(claim.attempt())).await().atMost(STORE_TIMEOUT);
            }
        }
    }

    private Outcome ingest(Claim claim) throws ExtractionFailure {
        IngestJob job = claim.job();
        if (claim.content() == null) {
            throw new IllegalStateException("the job's upload is missing");
        }
        KnowledgeBase base = bases.find(job.tenantId(), job.knowledgeBaseId()).await().atMost(STORE_TIMEOUT).orElseThrow(Lost::new);
        String text = TextExtractor.extract(job.contentType(), claim.content());
        String textHash = sha256(text);
        Optional<Document> stored = documents.findByName(job.tenantId(), job.knowledgeBaseId(), job.documentName())
                .await().atMost(STORE_TIMEOUT);
        UUID documentId = stored.map(Document::id).orElseGet(UUID::randomUUID);
        if (stored.isPresent() && stored.get().textHash().equals(textHash) && stored.get().chunking().equals(base.chunking())) {
            int count = stored.get().chunkCount();
            return written(claim, new Version(documentId, text, textHash, base.chunking(), base.embedding().dimension(), count, null, 0, count));
        }
        List<Chunker.Chunk> spans = Chunker.split(text, base.chunking());
        List<String> hashes = spans.stream().map(span -> sha256(span.text(text))).toList();
        Map<String, String> vectors = new LinkedHashMap<>(documents.embeddingsOf(job.tenantId(), job.knowledgeBaseId(),
                hashes.stream().distinct().toList()).await().atMost(STORE_TIMEOUT));
        int reused = (int) hashes.stream().filter(vectors::containsKey).count();
        keep(claim, spans.size(), 0, reused);
        Map<String, String> missing = new LinkedHashMap<>();
        for (int i = 0; i < spans.size(); i++) {
            if (!vectors.containsKey(hashes.get(i))) {
                missing.putIfAbsent(hashes.get(i), spans.get(i).text(text));
            }
        }
        List<String> missingHashes = new ArrayList<>(missing.keySet());
        Embedders.TextEmbedder embedder = missingHashes.isEmpty() ? null : embedder(base);
        int embedded = 0;
        for (int from = 0; from < missingHashes.size(); from += EMBEDDING_BATCH) {
            List<String> batch = missingHashes.subList(from, Math.min(missingHashes.size(), from + EMBEDDING_BATCH));
            List<float[]> embeddings = embedded(embedder, batch.stream().map(missing::get).toList());
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i), Vectors.pgvector(embeddings.get(i)));
            }
            embedded += batch.size();
            keep(claim, spans.size(), embedded, reused);
        }
        List<ChunkRow> rows = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            Chunker.Chunk span = spans.get(i);
            rows.add(new ChunkRow(span.index(), span.text(text), hashes.get(i), span.start(), span.end(), span.parentStart(), span.parentEnd(),
                    vectors.get(hashes.get(i))));
        }
        return written(claim, new Version(documentId, text, textHash, base.chunking(), base.embedding().dimension(), spans.size(), rows,
                embedded, reused));
    }

    /** The knowledge base's embedder; a credential the tenant must fix fails the job at once, anything else is tried again. */
    private Embedders.TextEmbedder embedder(KnowledgeBase base) throws ExtractionFailure {
        try {
            return embedders.of(base, "ingest:" + base.id());
        } catch (ProblemException problem) {
            throw unavailable(problem);
        }
    }

    private static List<float[]> embedded(Embedders.TextEmbedder embedder, List<String> texts) throws ExtractionFailure {
        try {
            return embedder.embed(texts);
        } catch (ProblemException problem) {
            throw unavailable(problem);
        }
    }

    /** The job's failure when the tenant must fix what the provider refused; anything else is thrown on, to be tried again. */
    private static ExtractionFailure unavailable(ProblemException problem) {
        if (!ProviderFailures.permanent(problem)) {
            throw problem;
        }
        return new ExtractionFailure(ExtractionFailure.Reason.EMBEDDING_UNAVAILABLE, problem.getMessage());
    }

    private Outcome written(Claim claim, Version version) {
        Outcome outcome = writer.write(claim, version).await().atMost(STORE_TIMEOUT);
        if (outcome == Outcome.LOST) {
            throw new Lost();
        }
        return outcome;
    }

    private void keep(Claim claim, int chunks, int embedded, int reused) {
        if (!jobs.progress(claim, chunks, embedded, reused, settings.lease()).await().atMost(STORE_TIMEOUT)) {
            throw new Lost();
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String ownerName() {
        String host = System.getenv().getOrDefault("HOSTNAME", "inference");
        return host + "/" + UUID.randomUUID();
    }
}
