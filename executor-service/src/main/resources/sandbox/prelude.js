// Evaluated once in every fresh sandbox context, before any workflow code. It removes what a
// script must not reach, captures console output, and defines how Java hands data in (JSON text)
// and takes results out (JSON text): no host object ever enters the context. The runner it returns
// is held by Java only; workflow code cannot reach it.
(function () {
  'use strict';
  const g = globalThis;
  for (const name of ['load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'exit', 'read', 'readbuffer',
      'readline', 'Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'arguments', 'org', 'edu', 'net', 'Polyglot', 'Graal', 'console']) {
    delete g[name];
  }
  // Captured before any workflow code runs: a script that replaces JSON, Object or Array methods
  // changes only what it computes itself, never how its answer is handed back.
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const freeze = Object.freeze;
  const keys = Object.keys;
  const defineProperty = Object.defineProperty;
  const isArray = Array.isArray;
  const slice = Function.prototype.call.bind(String.prototype.slice);
  const mapGet = Function.prototype.call.bind(WeakMap.prototype.get);
  const mapSet = Function.prototype.call.bind(WeakMap.prototype.set);
  const then = Function.prototype.call.bind(Promise.prototype.then);
  const hasOwn = Object.prototype.hasOwnProperty.call.bind(Object.prototype.hasOwnProperty);
  const PromiseType = Promise;
  const isPromise = (value) => value instanceof PromiseType;

  let data = { items: [], nodes: {}, vars: {}, executionId: '', workflowId: '', now: 0, limits: { lines: 0, lineChars: 0 } };
  let logs = [];
  let droppedLines = 0;

  function text(value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    if (typeof value === 'function') return '[function]';
    try {
      const json = stringify(value);
      return json === undefined ? String(value) : json;
    } catch (e) {
      return String(value);
    }
  }

  function logger(level) {
    return function (...args) {
      if (logs.length >= data.limits.lines) {
        droppedLines++;
        return;
      }
      let line = '';
      for (let i = 0; i < args.length; i++) line += (i > 0 ? ' ' : '') + text(args[i]);
      if (line.length > data.limits.lineChars) line = slice(line, 0, data.limits.lineChars) + '…';
      logs[logs.length] = { level: level, line: line };
    };
  }

  const console = freeze({
    log: logger('log'), info: logger('info'), debug: logger('debug'), warn: logger('warn'), error: logger('error')
  });

  function itemAt(list, index) {
    if (!list || list.length === 0) return undefined;
    return index >= 0 && index < list.length ? list[index] : list[0];
  }

  function nodeView(name, index) {
    const items = data.nodes[name];
    if (items === undefined) throw new Error('no output of node "' + name + '" is available here');
    const item = itemAt(items, index);
    return { json: item ? item.json : {}, item: item, all: () => items, first: () => items[0], last: () => items[items.length - 1] };
  }

  function scope(index) {
    const items = data.items;
    const item = index >= 0 ? items[index] : undefined;
    const nodes = {};
    const names = keys(data.nodes);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      defineProperty(nodes, name, { get: () => nodeView(name, index), enumerable: true });
    }
    return {
      $json: item ? item.json : (items[0] ? items[0].json : {}),
      $input: { all: () => items, first: () => items[0], last: () => items[items.length - 1], item: item },
      $node: nodes,
      $: (name) => nodeView(String(name), index),
      $execution: { id: data.executionId },
      $workflow: { id: data.workflowId },
      $vars: data.vars,
      $now: new Date(data.now),
      $itemIndex: index,
      console: console,
      $fromAI: fromAI
    };
  }

  // What the agent's model passed to this node, when it runs as a tool: the key's value, else the default.
  function fromAI(key, description, type, defaultValue) {
    const given = data.toolArguments;
    if (given === undefined || given === null) {
      throw new Error('$fromAI(...) gives a value only in a node attached to an AI agent as a tool');
    }
    const value = given[String(key)];
    if (value === undefined || value === null) {
      if (defaultValue === undefined) throw new Error("the model gave no value for '" + key + "'");
      return defaultValue;
    }
    return (type === undefined || type === 'string') && typeof value !== 'string' ? stringify(value) : value;
  }

  function asItem(value, where) {
    if (value === null || typeof value !== 'object' || isArray(value)) {
      throw new TypeError(where + ' must be an object (or { json: object }), not ' + (isArray(value) ? 'an array' : value === null ? 'null' : typeof value));
    }
    if (value.json !== undefined && typeof value.json === 'object' && value.json !== null && !isArray(value.json)) {
      return { json: value.json };
    }
    return { json: value };
  }

  function finish(result) {
    const answer = { ok: true, logs: logs, droppedLines: droppedLines, result: result };
    logs = [];
    droppedLines = 0;
    return stringify(answer);
  }

  function failure(error) {
    const answer = {
      ok: false, logs: logs, droppedLines: droppedLines,
      error: {
        name: error && error.name ? String(error.name) : 'Error',
        message: error && error.message !== undefined ? String(error.message) : String(error),
        stack: error && error.stack ? String(error.stack) : ''
      }
    };
    // Only errors ctx.http itself threw carry a failure kind for the retry policy; code cannot forge one.
    const typed = error !== null && (typeof error === 'object' || typeof error === 'function') ? mapGet(httpErrors, error) : undefined;
    if (typed !== undefined) answer.error.typed = typed;
    logs = [];
    droppedLines = 0;
    return stringify(answer);
  }

  // Custom node types: execute(items, params, ctx), with ctx.http calling out through the executor and
  // ctx.credential(type) giving the node's credential of a type its descriptor accepts.
  const httpErrors = new WeakMap();
  let settled = null;

  function httpCall(host, request) {
    if (request === null || typeof request !== 'object') {
      throw new TypeError('ctx.http takes a request object: { url, method, headers, body, timeoutMs, ignoreHttpErrors }');
    }
    const answer = parse(host(stringify(request)));
    if (answer.ok) return answer.response;
    const error = new Error(answer.error.message);
    error.name = 'HttpError';
    if (answer.response !== undefined) error.response = answer.response;
    mapSet(httpErrors, error, { kind: answer.error.kind, retryable: answer.error.retryable, retryAfterMs: answer.error.retryAfterMs });
    throw error;
  }

  function outputs(value, ports) {
    if (value === undefined || value === null) {
      throw new TypeError('execute returned nothing; return an array of items, or { ' + ports[0] + ': [...] } by output');
    }
    const out = {};
    if (isArray(value)) {
      out[ports[0]] = value;
    } else if (typeof value === 'object') {
      const names = keys(value);
      for (let i = 0; i < names.length; i++) {
        if (ports.indexOf(names[i]) < 0) throw new TypeError('execute returned items for "' + names[i] + '", which is not an output of this node (' + ports.join(', ') + ')');
        if (!isArray(value[names[i]])) throw new TypeError('the items for output "' + names[i] + '" must be an array');
        out[names[i]] = value[names[i]];
      }
    } else {
      throw new TypeError('execute must return an array of items, not ' + typeof value);
    }
    const result = {};
    const names = keys(out);
    for (let n = 0; n < names.length; n++) {
      const list = out[names[n]];
      const items = [];
      for (let i = 0; i < list.length; i++) items[i] = asItem(list[i], 'item ' + i + ' of output "' + names[n] + '"');
      result[names[n]] = items;
    }
    return result;
  }

  function context(input, host) {
    const credentials = input.credentials;
    const params = input.params;
    return freeze({
      node: freeze({ name: input.node.name, type: input.node.type, version: input.node.version }),
      execution: freeze({ id: data.executionId }),
      workflow: freeze({ id: data.workflowId }),
      vars: data.vars,
      now: new Date(data.now),
      params: function (index) {
        if (!isArray(params)) return parse(stringify(params));
        const i = index === undefined ? 0 : index;
        if (typeof i !== 'number' || i < 0 || i >= params.length) throw new RangeError('ctx.params(i) takes an item index from 0 to ' + (params.length - 1));
        return parse(stringify(params[i]));
      },
      credential: function (type) {
        const name = String(type);
        if (!hasOwn(credentials, name)) {
          throw new Error('this node has no credential of type "' + name + '"' + (input.credentialTypes.length === 0 ? ''
              : ' (it accepts ' + input.credentialTypes.join(', ') + ')'));
        }
        return parse(stringify(credentials[name]));
      },
      http: function (request) {
        return httpCall(host, request);
      }
    });
  }

  const ARGS = ['$json', '$input', '$node', '$', '$execution', '$workflow', '$vars', '$now', '$itemIndex', 'console', 'items', '$fromAI'];

  return freeze({
    arguments: ARGS.join(', '),
    setData: function (json) {
      data = parse(json);
      data.items = freeze(data.items);
    },
    runCode: function (fn, mode) {
      try {
        if (mode === 'runOnceForEachItem') {
          const out = [];
          for (let i = 0; i < data.items.length; i++) {
            const s = scope(i);
            const value = fn(s.$json, s.$input, s.$node, s.$, s.$execution, s.$workflow, s.$vars, s.$now, i, console, data.items, s.$fromAI);
            if (value !== undefined && value !== null) out[out.length] = asItem(value, 'the value returned for item ' + i);
          }
          return finish(out);
        }
        const s = scope(-1);
        const value = fn(s.$json, s.$input, s.$node, s.$, s.$execution, s.$workflow, s.$vars, s.$now, -1, console, data.items, s.$fromAI);
        if (value === undefined || value === null) {
          throw new TypeError('the code returned nothing; return an array of items (e.g. return $input.all())');
        }
        const list = isArray(value) ? value : [value];
        const out = [];
        for (let i = 0; i < list.length; i++) out[i] = asItem(list[i], 'item ' + i + ' of the returned array');
        return finish(out);
      } catch (e) {
        return failure(e);
      }
    },
    // fn(console) runs the code's top level and hands back its execute function.
    inspectCustom: function (fn) {
      try {
        const execute = fn(console);
        if (typeof execute !== 'function') throw new TypeError('the code must define function execute(items, params, ctx)');
        return finish(null);
      } catch (e) {
        return failure(e);
      }
    },
    runCustom: function (fn, json, host) {
      settled = null;
      try {
        const input = parse(json);
        const execute = fn(console);
        if (typeof execute !== 'function') throw new TypeError('the code must define function execute(items, params, ctx)');
        const ctx = context(input, host);
        const first = isArray(input.params) ? ctx.params(0) : ctx.params();
        const value = execute(data.items, first, ctx);
        if (isPromise(value)) {
          // An async execute: its promise settles once this call returns to Java, which then takes the answer.
          then(value, (result) => {
            try {
              settled = finish(outputs(result, input.ports));
            } catch (e) {
              settled = failure(e);
            }
          }, (e) => { settled = failure(e); });
          return 'pending';
        }
        return finish(outputs(value, input.ports));
      } catch (e) {
        return failure(e);
      }
    },
    takeSettled: function () {
      const answer = settled;
      settled = null;
      return answer === null ? failure(new Error('execute returned a promise that never settled (ctx.http is synchronous: no await is needed)')) : answer;
    },
    runExpression: function (fn, index) {
      try {
        const s = scope(index);
        const value = fn(s.$json, s.$input, s.$node, s.$, s.$execution, s.$workflow, s.$vars, s.$now, index, console, data.items, s.$fromAI);
        return finish(value === undefined ? null : value);
      } catch (e) {
        return failure(e);
      }
    }
  });
})();
