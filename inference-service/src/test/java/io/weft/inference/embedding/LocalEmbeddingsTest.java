package io.weft.inference.embedding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-process model, offline: real vectors from the ONNX model in the jar. A Quarkus test, so
 * that the model's native tokenizer is loaded by the same class loader as the service's (a native
 * library loads into one class loader per process).
 */
@QuarkusTest
class LocalEmbeddingsTest {
    @Inject
    LocalEmbeddings model;

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
        }
        return dot;
    }

    @Test
    void textsWithTheSameMeaningLieCloserThanTextsAboutOtherThings() {
        List<float[]> vectors = model.embed(List.of(
                "The cat is asleep on the sofa.",
                "A kitten naps on the couch.",
                "Quarterly revenue grew by twelve percent.",
                "How do I reset my password?",
                "I forgot my login credentials and cannot sign in."));

        assertThat(vectors).hasSize(5).allSatisfy(vector -> {
            assertThat(vector).hasSize(LocalEmbeddings.DIMENSION);
            assertThat(Math.sqrt(cosine(vector, vector))).as("unit length").isCloseTo(1.0, within(1e-3));
        });
        assertThat(cosine(vectors.get(0), vectors.get(1))).isGreaterThan(cosine(vectors.get(0), vectors.get(2)) + 0.3);
        assertThat(cosine(vectors.get(3), vectors.get(4))).isGreaterThan(cosine(vectors.get(3), vectors.get(0)) + 0.2);
        assertThat(model.embed(List.of("The cat is asleep on the sofa.")).get(0)).as("the same text, the same vector")
                .containsExactly(vectors.get(0));
        assertThat(model.embed(List.of())).isEmpty();
    }
}
