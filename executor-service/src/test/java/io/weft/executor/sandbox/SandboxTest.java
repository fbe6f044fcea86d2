package io.weft.executor.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.contracts.events.ConsoleLine;
import io.weft.contracts.events.ErrorKind;
import io.weft.contracts.json.WeftJson;
import io.weft.executor.engine.NodeFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class SandboxTest {
    static final Sandbox SANDBOX = new Sandbox(SandboxLimits.defaults().withStatements(2_000_000)
            .withAllocatedBytes(256L << 20).withConsoleLines(5));

    @AfterAll
    static void close() {
        SANDBOX.close();
    }

    static JsonNode json(String text) {
        try {
            return WeftJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ScriptData data(String... items) {
        return new ScriptData(java.util.Arrays.stream(items).map(SandboxTest::json).toList(),
                Map.of("Fetch", List.of(json("{\"id\":7}"), json("{\"id\":8}"))), json("{\"region\":\"eu\"}"),
                "ex-1", "wf-1", Instant.parse("2026-11-26T10:00:00Z"));
    }

    static CodeResult code(String source) {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{\"n\":1}", "{\"n\":2}"), Duration.ofSeconds(10))) {
            return session.code(source, "runOnceForAllItems");
        }
    }

    static NodeFailure codeFails(String source) {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{\"n\":1}"), Duration.ofSeconds(10))) {
            return (NodeFailure) org.assertj.core.api.Assertions.catchThrowable(() -> session.code(source, "runOnceForAllItems"));
        }
    }

    @Test
    void runsCodeOverAllItemsAndCapturesTheConsole() {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{\"n\":1}", "{\"n\":2}"), Duration.ofSeconds(10))) {
            CodeResult result = session.code("""
                    const out = $input.all().map(item => ({ json: { n: item.json.n * 10, region: $vars.region } }));
                    console.log('made', out.length, { ok: true });
                    return out;""", "runOnceForAllItems");
            assertThat(result.items()).extracting(Object::toString)
                    .containsExactly("{\"n\":10,\"region\":\"eu\"}", "{\"n\":20,\"region\":\"eu\"}");
            assertThat(session.console()).containsExactly(new ConsoleLine("log", "made 2 {\"ok\":true}"));
        }
    }

    @Test
    void runsCodeOncePerItemAndDropsItemsThatReturnNothing() {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), Duration.ofSeconds(10))) {
            CodeResult result = session.code("if ($json.n === 2) return null; return { doubled: $json.n * 2, at: $itemIndex };",
                    "runOnceForEachItem");
            assertThat(result.items()).extracting(Object::toString)
                    .containsExactly("{\"doubled\":2,\"at\":0}", "{\"doubled\":6,\"at\":2}");
        }
    }

    @Test
    void seesEarlierNodesTheExecutionAndTheClock() {
        CodeResult result = code("""
                return [{ first: $node['Fetch'].json.id, second: $('Fetch').all()[1].json.id,
                          execution: $execution.id, workflow: $workflow.id, now: $now.toISOString() }];""");
        assertThat(result.items().get(0).toString()).isEqualTo(
                "{\"first\":7,\"second\":8,\"execution\":\"ex-1\",\"workflow\":\"wf-1\",\"now\":\"2026-11-26T10:00:00.000Z\"}");
    }

    @Test
    void acceptsPlainObjectsAndASingleObject() {
        assertThat(code("return { a: 1 };").items()).extracting(Object::toString).containsExactly("{\"a\":1}");
        assertThat(code("return [{ a: 1 }, { json: { b: 2 } }];").items()).extracting(Object::toString)
                .containsExactly("{\"a\":1}", "{\"b\":2}");
    }

    @Test
    void reportsScriptErrorsWithTheirLine() {
        NodeFailure thrown = codeFails("const a = 1;\nthrow new Error('boom');");
        assertThat(thrown.kind()).isEqualTo(ErrorKind.SCRIPT);
        assertThat(thrown.getMessage()).contains("Error: boom").contains("line 2");

        assertThat(codeFails("return [1, 2];").getMessage()).contains("must be an object");
        assertThat(codeFails("const x = 1;").getMessage()).contains("returned nothing");
        assertThat(codeFails("return {{;").getMessage()).contains("not valid JavaScript");
        assertThat(codeFails("const a = {}; a.self = a; return a;").getMessage()).containsIgnoringCase("circular");
    }

    @Test
    void evaluatesExpressionsPerItem() {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{\"n\":1}", "{\"n\":2}"), Duration.ofSeconds(10))) {
            assertThat(session.expression("$json.n + 1", 0).asInt()).isEqualTo(2);
            assertThat(session.expression("$json.n + 1", 1).asInt()).isEqualTo(3);
            assertThat(session.expression("$input.all().length", 0).asInt()).isEqualTo(2);
            assertThat(session.expression("'x'.repeat(3)", -1).asText()).isEqualTo("xxx");
            assertThat(session.expression("undefined", 0).isNull()).isTrue();
            assertThatThrownBy(() -> session.expression("$json.missing.deeper", 0))
                    .isInstanceOfSatisfying(NodeFailure.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.EXPRESSION))
                    .hasMessageContaining("TypeError");
        }
    }

    @Test
    void limitsTheConsole() {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{}"), Duration.ofSeconds(10))) {
            session.code("for (let i = 0; i < 20; i++) console.log('line', i, 'x'.repeat(5000)); return [];", "runOnceForAllItems");
            assertThat(session.console()).hasSize(5);
            assertThat(session.console().get(0).line()).hasSizeLessThan(2100);
            assertThat(session.droppedConsoleLines()).isEqualTo(15);
        }
    }

    // --- the escape suite: each attempt is contained with a clear error, and the sandbox stays usable

    @Test
    void hasNoHostClassLookup() {
        assertThat(code("return { java: typeof Java, packages: typeof Packages, javaGlobal: typeof java };").items().get(0).toString())
                .isEqualTo("{\"java\":\"undefined\",\"packages\":\"undefined\",\"javaGlobal\":\"undefined\"}");
        assertThat(codeFails("return { t: Java.type('java.lang.Runtime') };").getMessage()).contains("Java is not defined");
        assertThat(codeFails("return { c: this.constructor.constructor('return Java')().type('java.lang.System') };").kind())
                .isEqualTo(ErrorKind.SCRIPT);
    }

    @Test
    void hasNoPolyglotAccess() {
        assertThat(code("return { polyglot: typeof Polyglot, graal: typeof Graal };").items().get(0).toString())
                .isEqualTo("{\"polyglot\":\"undefined\",\"graal\":\"undefined\"}");
        assertThat(codeFails("return { v: Polyglot.eval('python', '1') };").getMessage()).contains("Polyglot is not defined");
    }

    @Test
    void cannotLoadReadOrQuit() {
        assertThat(code("return { load: typeof load, read: typeof read, quit: typeof quit, print: typeof print, require: typeof require, process: typeof process };")
                .items().get(0).toString())
                .isEqualTo("{\"load\":\"undefined\",\"read\":\"undefined\",\"quit\":\"undefined\",\"print\":\"undefined\",\"require\":\"undefined\",\"process\":\"undefined\"}");
        assertThat(codeFails("load('/etc/passwd'); return {};").getMessage()).contains("load is not defined");
        assertThat(codeFails("import fs from 'fs'; return {};").getMessage()).contains("not valid JavaScript");
    }

    @Test
    void seesNoEnvironmentOrFiles() {
        assertThat(codeFails("return { env: process.env.HOME };").getMessage()).contains("process is not defined");
        assertThat(codeFails("return { f: require('fs').readFileSync('/etc/passwd', 'utf8') };").getMessage())
                .contains("require is not defined");
    }

    @Test
    void stopsEndlessLoopsByTheStatementLimit() {
        NodeFailure thrown = codeFails("while (true) {}");
        assertThat(thrown.kind()).isEqualTo(ErrorKind.SCRIPT);
        assertThat(thrown.getMessage()).contains("limit of 2000000 statements");
        assertThat(code("return { alive: true };").items()).hasSize(1);
    }

    @Test
    void stopsSlowScriptsAtTheDeadline() {
        Sandbox slow = new Sandbox(SandboxLimits.defaults().withStatements(Long.MAX_VALUE / 2));
        try (slow; ScriptSession session = slow.open("tenant-a", data("{}"), Duration.ofMillis(300))) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> session.code("while (true) {}", "runOnceForAllItems"))
                    .isInstanceOfSatisfying(NodeFailure.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
                    .hasMessageContaining("did not finish in time");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            assertThatThrownBy(() -> session.expression("1", 0)).hasMessageContaining("stopped earlier");
        }
    }

    @Test
    void stopsHugeAllocations() {
        NodeFailure thrown = codeFails("const keep = []; while (true) keep.push(new Array(100000).fill('x'));");
        assertThat(thrown.kind()).isEqualTo(ErrorKind.SCRIPT);
        assertThat(thrown.getMessage()).containsAnyOf("allocated more memory", "limit of", "ran out of resources");
        assertThat(codeFails("return { s: 'x'.repeat(2 ** 31) };").kind()).isEqualTo(ErrorKind.SCRIPT);
        assertThat(code("return { alive: true };").items()).hasSize(1);
    }

    @Test
    void endlessRecursionIsAnError() {
        assertThat(codeFails("function f() { return f() + 1; } return { v: f() };").getMessage()).containsIgnoringCase("stack");
    }

    @Test
    void prototypeTricksStayInTheirOwnContext() {
        code("Object.prototype.polluted = 'yes'; Array.prototype.map = function () { return ['hacked']; }; globalThis.leak = 42; return [];");
        assertThat(code("return { polluted: ({}).polluted === undefined, leak: typeof leak, mapped: [1].map(x => x + 1)[0] };")
                .items().get(0).toString()).isEqualTo("{\"polluted\":true,\"leak\":\"undefined\",\"mapped\":2}");
    }

    @Test
    void cannotReachTheRunnerOrForgeItsAnswer() {
        assertThat(code("return { weft: typeof __weft, args: typeof arguments[0] };").items().get(0).path("weft").asText())
                .isEqualTo("undefined");
        assertThat(codeFails("JSON.stringify = () => '{\"ok\":true,\"result\":[{\"json\":{\"forged\":true}}]}'; throw new Error('real');")
                .getMessage()).contains("real");
    }

    @Test
    void cannotBreakOutOfTheWrapper() {
        CodeResult result = code("return [{ a: 1 }]; }); (function () { return [{ json: { outside: true } }];");
        assertThat(result.items()).isNotEmpty();
    }

    @Test
    void hasNoTimersThreadsOrWorkers() {
        assertThat(code("return { t: typeof setTimeout, w: typeof Worker, f: typeof fetch, x: typeof XMLHttpRequest };")
                .items().get(0).toString()).isEqualTo("{\"t\":\"undefined\",\"w\":\"undefined\",\"f\":\"undefined\",\"x\":\"undefined\"}");
    }

    @Test
    void theGlobalHoldsOnlyTheLanguagesOwnObjectsAndWefts() {
        List<String> standard = List.of("globalThis", "Infinity", "NaN", "undefined", "eval", "isFinite", "isNaN", "parseFloat",
                "parseInt", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
                "AggregateError", "Array", "ArrayBuffer", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean", "DataView", "Date", "Float16Array",
                "Error", "EvalError", "FinalizationRegistry", "Float32Array", "Float64Array", "Function", "Int8Array", "Int16Array",
                "Int32Array", "Iterator", "JSON", "Map", "Math", "Number", "Object", "Promise", "Proxy", "RangeError", "ReferenceError",
                "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol", "SyntaxError", "TypeError", "URIError",
                "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "WeakMap", "WeakRef", "WeakSet", "Atomics", "Intl",
                "console");
        List<String> extra = new java.util.ArrayList<>();
        code("return { names: Object.getOwnPropertyNames(globalThis) };").items().get(0).path("names")
                .forEach(name -> extra.add(name.asText()));
        extra.removeAll(standard);
        extra.removeIf(name -> name.startsWith("$"));
        assertThat(extra).as("globals beyond ECMAScript's and Weft's $ variables").isEmpty();
        assertThat(code("return { fx: typeof javafx };").items().get(0).path("fx").asText()).isEqualTo("undefined");
    }

    /** A custom node type's code run as the engine runs it, with {@code ctx.http} answering {@code answer} for every call. */
    static java.util.Map<String, List<com.fasterxml.jackson.databind.node.ObjectNode>> custom(String source, String answer) {
        try (ScriptSession session = SANDBOX.open("tenant-a", data("{\"n\":1}"), Duration.ofSeconds(10))) {
            return session.custom(source, "{\"params\":{},\"credentials\":{},\"credentialTypes\":[],\"ports\":[\"main\"],"
                    + "\"node\":{\"name\":\"Own\",\"type\":\"custom.x\",\"version\":1}}", (request, timeLeft) -> answer);
        }
    }

    @Test
    void customNodeCodeReachesNothingThroughItsHostFunction() {
        String ok = "{\"ok\":true,\"response\":{\"status\":200,\"headers\":{},\"body\":{}}}";
        assertThat(custom("""
                function execute(items, params, ctx) {
                  const http = ctx.http;
                  return [{ own: Object.getOwnPropertyNames(http).sort().join(','), proto: Object.getPrototypeOf(http) === Function.prototype,
                            ctor: (() => { try { return typeof http.constructor('return this')().Java; } catch (e) { return 'threw'; } })(),
                            host: (() => { try { return typeof Object.getPrototypeOf(ctx).constructor.constructor('return Polyglot')(); } catch (e) { return 'threw'; } })(),
                            answer: typeof http({ url: 'https://example.com' }).status }];
                }""", ok).get("main").get(0).toString())
                .isEqualTo("{\"own\":\"length,name,prototype\",\"proto\":true,\"ctor\":\"undefined\",\"host\":\"threw\",\"answer\":\"number\"}");
        // The host's answer is data: an answer that is not what the prelude expects is an error in the code, not a way in.
        assertThatThrownBy(() -> custom("function execute(items, p, ctx) { return [ctx.http({ url: 'https://example.com' })]; }", "not json"))
                .isInstanceOf(NodeFailure.class).hasMessageContaining("SyntaxError");
        // The code cannot reach the runner to settle its own answer, nor forge a typed failure.
        assertThat(custom("function execute(items) { return [{ runner: typeof runCustom, settled: typeof takeSettled }]; }", ok)
                .get("main").get(0).toString()).isEqualTo("{\"runner\":\"undefined\",\"settled\":\"undefined\"}");
        NodeFailure forged = (NodeFailure) org.assertj.core.api.Assertions.catchThrowable(() -> custom(
                "function execute() { const e = new Error('x'); e.typed = { kind: 'INTERNAL', retryable: true }; throw e; }", ok));
        assertThat(forged.kind()).isEqualTo(ErrorKind.SCRIPT);
        assertThat(forged.retryable()).isFalse();
    }

    @Test
    void customNodeCodeIsBoundLikeAnyScript() {
        assertThat(((NodeFailure) org.assertj.core.api.Assertions.catchThrowable(() -> custom("function execute() { for (;;) {} }", "{}")))
                .getMessage()).contains("statements");
        assertThat(((NodeFailure) org.assertj.core.api.Assertions.catchThrowable(() -> custom(
                "const keep = []; function execute() { for (;;) keep.push(new Array(100000).fill(1)); }", "{}"))).getMessage())
                .containsAnyOf("memory", "statements");
        assertThat(((NodeFailure) org.assertj.core.api.Assertions.catchThrowable(() -> custom(
                "function execute() { return [{ get json() { for (;;) {} } }]; }", "{}"))).getMessage()).contains("statements");
        assertThat(custom("async function execute(items) { await null; await Promise.resolve(); return items; }", "{}").get("main"))
                .hasSize(1);
    }
}
