package io.weft.compiler.catalog;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.contracts.nodes.PortDescriptor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The node types the compiler checks against, indexed, with each parameter schema loaded once. */
public final class NodeTypes {
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));

    private final Map<String, Map<Integer, NodeTypeEntry>> byType;

    /** One version of a node type, ready for checks. */
    public record NodeTypeEntry(NodeTypeDescriptor descriptor, Schema parameters, Map<String, PortDescriptor> inputs,
                                Map<String, PortDescriptor> outputs) {
    }

    private NodeTypes(Map<String, Map<Integer, NodeTypeEntry>> byType) {
        this.byType = byType;
    }

    public static NodeTypes of(List<NodeTypeDescriptor> descriptors) {
        return new NodeTypes(Map.of()).with(descriptors);
    }

    /** These types and the given ones (a tenant's own types next to the built-in ones). */
    public NodeTypes with(List<NodeTypeDescriptor> descriptors) {
        Map<String, Map<Integer, NodeTypeEntry>> all = new HashMap<>(byType);
        for (NodeTypeDescriptor descriptor : descriptors) {
            NodeTypeEntry entry = new NodeTypeEntry(descriptor, SCHEMAS.getSchema(descriptor.parametersSchema()),
                    ports(descriptor.inputs()), ports(descriptor.outputs()));
            all.compute(descriptor.type(), (type, versions) -> {
                Map<Integer, NodeTypeEntry> copy = versions == null ? new HashMap<>() : new HashMap<>(versions);
                copy.put(descriptor.version(), entry);
                return copy;
            });
        }
        return new NodeTypes(all);
    }

    public Optional<NodeTypeEntry> find(String type, int version) {
        return Optional.ofNullable(byType.getOrDefault(type, Map.of()).get(version));
    }

    /** The versions of a type, ascending; empty when the type is unknown. */
    public List<Integer> versions(String type) {
        return List.copyOf(new TreeSet<>(byType.getOrDefault(type, Map.of()).keySet()));
    }

    public int size() {
        return byType.values().stream().mapToInt(Map::size).sum();
    }

    private static Map<String, PortDescriptor> ports(List<PortDescriptor> ports) {
        return ports.stream().collect(Collectors.toUnmodifiableMap(PortDescriptor::name, Function.identity(), (a, b) -> a));
    }
}
