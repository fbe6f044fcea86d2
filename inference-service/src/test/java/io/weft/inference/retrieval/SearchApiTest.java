package io.weft.inference.retrieval;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.weft.testsupport.InternalTokens;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Searching ingested documents by meaning, by words and both fused, with filters, on real pgvector (issue 21). */
@QuarkusTest
class SearchApiTest {
    static final String BASES = KnowledgeBaseFixtures.BASES;
    static final String HANDBOOK = """
            # Leave

            Staff get twenty-five days of paid leave each year. Leave is booked in the HR portal at least two weeks ahead.

            # Expenses

            Travel is reimbursed at cost with receipts. Meals on trips are covered up to forty euros a day.
            """;
    static final String IT_GUIDE = """
            # Passwords

            Reset your password in the self-service portal. Passwords expire every ninety days.

            # Laptops

            Laptops are replaced every four years; a lost laptop is reported to the service desk at once.
            """;

    final UUID tenant = UUID.randomUUID();
    final String editor = InternalTokens.user(tenant, "editor-1", "editor");
    final String viewer = InternalTokens.user(tenant, "viewer-1", "viewer");
    String base;

    @Inject
    Pool pool;

    @BeforeEach
    void twoDocuments() {
        base = knowledgeBase("{\"size\":200,\"overlap\":0}");
        ingest(base, "handbook.md", HANDBOOK, "{\"team\":\"hr\",\"year\":2026}");
        ingest(base, "it-guide.md", IT_GUIDE, "{\"team\":\"it\",\"year\":2025}");
    }

    String knowledgeBase(String chunking) {
        return KnowledgeBaseFixtures.knowledgeBase(editor, chunking);
    }

    void ingest(String knowledgeBase, String name, String text, String metadata) {
        KnowledgeBaseFixtures.ingest(editor, knowledgeBase, name, text, metadata);
    }

    JsonPath search(String knowledgeBase, String body) {
        return given().auth().oauth2(viewer).contentType(ContentType.JSON).body(body).post(BASES + "/" + knowledgeBase + "/search")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aQuestionFindsThePassageThatAnswersItByMeaning() {
        JsonPath found = search(base, "{\"query\":\"How many vacation days do employees have?\",\"mode\":\"vector\",\"k\":3}");
        assertThat(found.getString("mode")).isEqualTo("vector");
        assertThat(found.getList("items")).hasSize(3);
        assertThat(found.getString("items[0].content")).contains("twenty-five days of paid leave");
        assertThat(found.getString("items[0].documentName")).isEqualTo("handbook.md");
        assertThat(found.getDouble("items[0].similarity")).isGreaterThan(0.3).isEqualTo(found.getDouble("items[0].score"));
        assertThat(found.getDouble("items[0].similarity")).isGreaterThan(found.getDouble("items[1].similarity"));
        assertThat(found.getString("items[0].metadata.team")).isEqualTo("hr");
        assertThat(found.getInt("items[0].end")).isGreaterThan(found.getInt("items[0].start"));
        assertThat(found.getString("items[0].passage")).isNull();
    }

    @Test
    void wordsFindTheirPassageAndBothRankingsFuse() {
        JsonPath text = search(base, "{\"query\":\"when are laptops replaced?\",\"mode\":\"text\",\"k\":2}");
        assertThat(text.getString("items[0].content")).contains("Laptops are replaced");
        assertThat(text.getString("items[0].similarity")).isNull();

        JsonPath hybrid = search(base, "{\"query\":\"I forgot my password\"}");
        assertThat(hybrid.getString("mode")).isEqualTo("hybrid");
        assertThat(hybrid.getString("items[0].content")).contains("Reset your password");
        assertThat(hybrid.getDouble("items[0].score")).isGreaterThan(hybrid.getDouble("items[1].score"));
        assertThat(hybrid.getDouble("items[0].score")).isLessThanOrEqualTo(2.0 / (RankFusion.K + 1));
    }

    @Test
    void filtersKeepOnlyTheDocumentsWithTheirMetadata() {
        JsonPath it = search(base, "{\"query\":\"How many vacation days do employees have?\",\"filter\":{\"team\":\"it\"},\"k\":10}");
        assertThat(it.getList("items.metadata.team")).isNotEmpty().containsOnly("it");
        JsonPath both = search(base, "{\"query\":\"days\",\"filter\":{\"year\":[2025,2026]},\"k\":10}");
        assertThat(both.getList("items.documentName")).contains("handbook.md", "it-guide.md");
        assertThat(search(base, "{\"query\":\"days\",\"filter\":{\"team\":\"legal\"}}").getList("items")).isEmpty();
        assertThat(search(base, "{\"query\":\"days\",\"filter\":{\"team\":\"hr\",\"year\":2025}}").getList("items")).isEmpty();
    }

    @Test
    void aFilteredSearchReturnsKChunksWhenkMatchEvenIfFewOfTheNearestDo() {
        String large = knowledgeBase("{}");
        UUID rareDocument = UUID.randomUUID();
        UUID commonDocument = UUID.randomUUID();
        // 2,000 chunks of random vectors; one document of 20 of them (1 %) is the "rare" team's, which its chunks carry.
        for (Object[] document : List.of(new Object[] {rareDocument, "{\"team\":\"rare\"}", 20}, new Object[] {commonDocument,
                "{\"team\":\"common\"}", 1980})) {
            pool.preparedQuery("""
                            INSERT INTO documents (tenant_id, knowledge_base_id, id, name, content_type, bytes, text_hash, chunking, metadata,
                                                   text, chunk_count, job_id, uploaded_at, created_by, updated_by, created_at, updated_at)
                            VALUES ($1, $2, $3, $3::text, 'text/plain', 1, 'x', '{}', $4::text::jsonb, 'x', $5, $3, now(), 't', 't', now(), now())""")
                    .execute(Tuple.of(tenant, UUID.fromString(large), document[0], document[1], document[2])).await().atMost(Duration.ofSeconds(10));
            pool.preparedQuery("""
                            INSERT INTO chunks (tenant_id, knowledge_base_id, document_id, ordinal, content, content_hash, start_offset, end_offset,
                                                parent_start, parent_end, metadata, dimension, embedding)
                            SELECT $1, $2, $3, g, 'chunk ' || g, md5(g::text), 0, 1, 0, 1, $4::text::jsonb, 384,
                                   (SELECT array_agg(random() - 0.5)::real[] FROM generate_series(1, 384) WHERE g >= 0)::vector
                            FROM generate_series(0, $5::int - 1) AS g""")
                    .execute(Tuple.of(tenant, UUID.fromString(large), document[0], document[1], document[2])).await().atMost(Duration.ofSeconds(30));
        }
        pool.query("ANALYZE chunks").execute().await().atMost(Duration.ofSeconds(30));

        JsonPath rare = search(large, "{\"query\":\"anything at all\",\"mode\":\"vector\",\"k\":10,\"filter\":{\"team\":\"rare\"}}");
        assertThat(rare.getList("items")).hasSize(10);
        assertThat(rare.getList("items.metadata.team")).containsOnly("rare");
        List<Float> similarities = rare.getList("items.similarity", Float.class);
        assertThat(similarities).isSortedAccordingTo((a, b) -> Float.compare(b, a));
        assertThat(search(large, "{\"query\":\"anything at all\",\"mode\":\"vector\",\"k\":30,\"filter\":{\"team\":\"rare\"}}")
                .getList("items")).hasSize(20);
    }

    @Test
    void parentChildChunksReturnThePassageAroundThem() {
        String passages = knowledgeBase("{\"mode\":\"parentChild\",\"size\":100,\"parentSize\":400}");
        ingest(passages, "handbook.md", HANDBOOK, "{}");
        JsonPath found = search(passages, "{\"query\":\"meals on trips\",\"mode\":\"text\",\"k\":1}");
        String content = found.getString("items[0].content");
        String passage = found.getString("items[0].passage");
        assertThat(passage).contains(content).hasSizeGreaterThan(content.length());
        assertThat(found.getInt("items[0].parentStart")).isLessThanOrEqualTo(found.getInt("items[0].start"));
        assertThat(found.getInt("items[0].parentEnd")).isGreaterThanOrEqualTo(found.getInt("items[0].end"));
    }

    /** Rows of the knowledge base's word counts that differ from counting its chunks' words now (both ways). */
    private long wordCountsOff(String knowledgeBase) {
        return pool.preparedQuery("""
                        WITH kept AS (SELECT word, chunks FROM knowledge_base_words WHERE tenant_id = $1 AND knowledge_base_id = $2 AND chunks > 0),
                             counted AS (SELECT t.lexeme AS word, count(*)::int AS chunks FROM chunks c, unnest(c.search) AS t
                                         WHERE c.tenant_id = $1 AND c.knowledge_base_id = $2 GROUP BY t.lexeme)
                        SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM counted) a)
                             + (SELECT count(*) FROM (SELECT * FROM counted EXCEPT SELECT * FROM kept) b)""")
                .execute(Tuple.of(tenant, UUID.fromString(knowledgeBase))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    private long wordRows(String knowledgeBase) {
        return pool.preparedQuery("SELECT count(*) FROM knowledge_base_words WHERE tenant_id = $1 AND knowledge_base_id = $2")
                .execute(Tuple.of(tenant, UUID.fromString(knowledgeBase))).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @Test
    void theWordCountsATextSearchReadsFollowTheChunksThroughReplacesAndDeletes() {
        assertThat(wordRows(base)).isPositive();
        assertThat(wordCountsOff(base)).isZero();

        ingest(base, "handbook.md", HANDBOOK.replace("twenty-five", "thirty"), "{\"team\":\"hr\"}");
        assertThat(wordCountsOff(base)).isZero();
        assertThat(search(base, "{\"query\":\"thirty\",\"mode\":\"text\",\"k\":1}").getString("items[0].documentName"))
                .isEqualTo("handbook.md");

        String document = given().auth().oauth2(viewer).get(BASES + "/" + base + "/documents").then().statusCode(200).extract().jsonPath()
                .getString("items.find { it.name == 'it-guide.md' }.id");
        given().auth().oauth2(editor).delete(BASES + "/" + base + "/documents/" + document).then().statusCode(204);
        assertThat(wordCountsOff(base)).isZero();
        assertThat(search(base, "{\"query\":\"laptops\",\"mode\":\"text\"}").getList("items")).isEmpty();

        given().auth().oauth2(editor).delete(BASES + "/" + base).then().statusCode(204);
        assertThat(wordRows(base)).isZero();
    }

    @Test
    void anotherTenantFindsNothingAndBadQueriesAreProblems() {
        String stranger = InternalTokens.user(UUID.randomUUID(), "owner-9", "owner");
        given().auth().oauth2(stranger).contentType(ContentType.JSON).body("{\"query\":\"leave\"}").post(BASES + "/" + base + "/search")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k-1", "documents:read")).contentType(ContentType.JSON)
                .body("{\"query\":\"leave\"}").post(BASES + "/" + base + "/search").then().statusCode(200);
        given().auth().oauth2(InternalTokens.apiKey(tenant, "k-2", "workflows:read")).contentType(ContentType.JSON)
                .body("{\"query\":\"leave\"}").post(BASES + "/" + base + "/search").then().statusCode(403);

        for (Map.Entry<String, String> bad : Map.of(
                "{\"query\":\"   \"}", "query",
                "{\"query\":\"" + "q".repeat(2001) + "\"}", "query",
                "{\"query\":\"x\",\"k\":0}", "k",
                "{\"query\":\"x\",\"k\":101}", "k",
                "{\"query\":\"x\",\"mode\":\"fuzzy\"}", "mode",
                "{\"query\":\"x\",\"filter\":[1]}", "filter",
                "{\"query\":\"x\",\"filter\":{\"team\":{\"$ne\":1}}}", "filter.team",
                "{\"query\":\"x\",\"filter\":{\"team\":[]}}", "filter.team",
                "{\"query\":\"x\",\"textWeight\":-1}", "textWeight",
                "{\"query\":\"x\",\"vectorWeight\":0,\"textWeight\":0}", "vectorWeight").entrySet()) {
            given().auth().oauth2(viewer).contentType(ContentType.JSON).body(bad.getKey()).post(BASES + "/" + base + "/search")
                    .then().statusCode(400).contentType("application/problem+json").body("violations[0].field", equalTo(bad.getValue()));
        }
        for (String malformed : List.of("{", "[]", "{\"query\":\"x\",\"query\":\"y\"}", "{\"query\":1,\"k\":\"many\"}")) {
            given().auth().oauth2(viewer).contentType(ContentType.JSON).body(malformed).post(BASES + "/" + base + "/search")
                    .then().statusCode(400).contentType("application/problem+json");
        }
        // Query syntax of PostgreSQL's full text and of SQL is only words to a search.
        JsonPath hostile = search(base, "{\"query\":\"leave & !days | 'x':* <-> ); DROP TABLE chunks; --\",\"mode\":\"text\"}");
        assertThat(hostile.getList("items")).isNotEmpty();
        assertThat(search(base, "{\"query\":\"?!…\",\"mode\":\"text\"}").getList("items")).isEmpty();
        given().auth().oauth2(viewer).contentType(ContentType.JSON).body("{\"query\":\"leave\"}").post(BASES + "/" + base + "/search")
                .then().statusCode(200).body("items", hasSize(4));
    }
}
