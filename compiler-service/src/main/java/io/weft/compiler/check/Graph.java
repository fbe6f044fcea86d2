package io.weft.compiler.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;
import java.util.PriorityQueue;

/** The connections between a workflow's nodes, by node index, and what follows from them. */
final class Graph {
    private final int size;
    private final List<List<Integer>> successors = new ArrayList<>();
    private final List<List<Integer>> predecessors = new ArrayList<>();

    Graph(int size) {
        this.size = size;
        for (int i = 0; i < size; i++) {
            successors.add(new ArrayList<>());
            predecessors.add(new ArrayList<>());
        }
    }

    void connect(int from, int to) {
        successors.get(from).add(to);
        predecessors.get(to).add(from);
    }

    List<Integer> predecessors(int node) {
        return predecessors.get(node);
    }

    /**
     * A topological order that keeps the definition's order wherever the connections allow it, or
     * null when there is a cycle.
     */
    List<Integer> topologicalOrder() {
        int[] waiting = new int[size];
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < size; i++) {
            waiting[i] = predecessors.get(i).size();
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<Integer> order = new ArrayList<>(size);
        while (!ready.isEmpty()) {
            int node = ready.poll();
            order.add(node);
            for (int next : successors.get(node)) {
                if (--waiting[next] == 0) {
                    ready.add(next);
                }
            }
        }
        return order.size() == size ? order : null;
    }

    /** Every cycle's nodes (strongly connected components that loop), each in the order it is walked. */
    List<List<Integer>> cycles() {
        Tarjan tarjan = new Tarjan();
        for (int i = 0; i < size; i++) {
            if (tarjan.index[i] < 0) {
                tarjan.visit(i);
            }
        }
        List<List<Integer>> cycles = new ArrayList<>();
        for (List<Integer> component : tarjan.components) {
            int only = component.get(0);
            if (component.size() > 1 || successors.get(only).contains(only)) {
                cycles.add(walk(component));
            }
        }
        cycles.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
        return cycles;
    }

    /** Nodes reachable from the given start nodes (including them). */
    BitSet reachableFrom(List<Integer> starts) {
        BitSet seen = new BitSet(size);
        Deque<Integer> todo = new ArrayDeque<>(starts);
        starts.forEach(seen::set);
        while (!todo.isEmpty()) {
            for (int next : successors.get(todo.pop())) {
                if (!seen.get(next)) {
                    seen.set(next);
                    todo.push(next);
                }
            }
        }
        return seen;
    }

    /** For each node, the nodes that always finish before it (its ancestors). Needs an acyclic graph. */
    BitSet[] ancestors(List<Integer> topologicalOrder) {
        BitSet[] ancestors = new BitSet[size];
        for (int node : topologicalOrder) {
            BitSet mine = new BitSet(size);
            for (int predecessor : predecessors.get(node)) {
                mine.or(ancestors[predecessor]);
                mine.set(predecessor);
            }
            ancestors[node] = mine;
        }
        return ancestors;
    }

    /** The shortest cycle through the component's first node (in definition order), as the nodes on it. */
    private List<Integer> walk(List<Integer> component) {
        BitSet members = new BitSet(size);
        component.forEach(members::set);
        int start = members.nextSetBit(0);
        int[] parent = new int[size];
        java.util.Arrays.fill(parent, -1);
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(start);
        parent[start] = start;
        while (!todo.isEmpty()) {
            int node = todo.poll();
            for (int next : successors.get(node)) {
                if (next == start) {
                    List<Integer> path = new ArrayList<>();
                    for (int at = node; at != start; at = parent[at]) {
                        path.add(at);
                    }
                    path.add(start);
                    java.util.Collections.reverse(path);
                    return path;
                }
                if (members.get(next) && parent[next] < 0) {
                    parent[next] = node;
                    todo.add(next);
                }
            }
        }
        return component;
    }

    /** Tarjan's strongly connected components, iterative so that long chains cannot overflow the stack. */
    private final class Tarjan {
        final int[] index = new int[size];
        final int[] low = new int[size];
        final boolean[] onStack = new boolean[size];
        final Deque<Integer> stack = new ArrayDeque<>();
        final List<List<Integer>> components = new ArrayList<>();
        int counter;

        Tarjan() {
            java.util.Arrays.fill(index, -1);
        }

        void visit(int root) {
            Deque<int[]> frames = new ArrayDeque<>();
            frames.push(new int[] {root, 0});
            open(root);
            while (!frames.isEmpty()) {
                int[] frame = frames.peek();
                int node = frame[0];
                List<Integer> next = successors.get(node);
                if (frame[1] < next.size()) {
                    int child = next.get(frame[1]++);
                    if (index[child] < 0) {
                        open(child);
                        frames.push(new int[] {child, 0});
                    } else if (onStack[child]) {
                        low[node] = Math.min(low[node], index[child]);
                    }
                    continue;
                }
                frames.pop();
                if (!frames.isEmpty()) {
                    int parent = frames.peek()[0];
                    low[parent] = Math.min(low[parent], low[node]);
                }
                if (low[node] == index[node]) {
                    List<Integer> component = new ArrayList<>();
                    int member;
                    do {
                        member = stack.pop();
                        onStack[member] = false;
                        component.add(member);
                    } while (member != node);
                    component.sort(null);
                    components.add(component);
                }
            }
        }

        private void open(int node) {
            index[node] = counter;
            low[node] = counter++;
            stack.push(node);
            onStack[node] = true;
        }
    }
}
