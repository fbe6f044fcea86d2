package io.weft.inference.embedding;

/** Vectors as pgvector reads and writes them in text: {@code [0.1,-0.2,…]}. */
public final class Vectors {
    private Vectors() {
    }

    public static String pgvector(float[] vector) {
        StringBuilder text = new StringBuilder(vector.length * 11 + 2).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(vector[i]);
        }
        return text.append(']').toString();
    }
}
