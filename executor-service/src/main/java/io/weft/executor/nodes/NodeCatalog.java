package io.weft.executor.nodes;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every node type this executor can run, by type and version. Built once at start-up from the
 * {@link NodeType} beans; a broken descriptor stops the service from starting rather than
 * reaching the compiler.
 */
@ApplicationScoped
public class NodeCatalog {
    private static final Comparator<NodeTypeDescriptor> BY_TYPE_AND_VERSION =
            Comparator.comparing(NodeTypeDescriptor::type).thenComparingInt(NodeTypeDescriptor::version);

    private final List<NodeTypeDescriptor> all;
    private final Map<String, NodeType> runnable;
    private final Map<String, List<NodeTypeDescriptor>> versionsByType;
    private final String etag;

    @Inject
    NodeCatalog(Instance<NodeType> types) {
        this(types.stream().toList());
    }

    public NodeCatalog(List<NodeType> types) {
        List<NodeTypeDescriptor> descriptors = types.stream().map(NodeType::descriptor).toList();
        Set<String> seen = new HashSet<>();
        for (NodeTypeDescriptor descriptor : descriptors) {
            if (!seen.add(descriptor.type() + "@" + descriptor.version())) {
                throw new IllegalStateException("node type " + descriptor.type() + " v" + descriptor.version()
                        + " is registered twice");
            }
            checkSchema(descriptor);
        }
        this.all = descriptors.stream().sorted(BY_TYPE_AND_VERSION).toList();
        this.versionsByType = all.stream().collect(Collectors.groupingBy(NodeTypeDescriptor::type, TreeMap::new,
                Collectors.toList()));
        this.etag = "\"" + CanonicalJson.sha256(all) + "\"";
        this.runnable = types.stream().collect(Collectors.toUnmodifiableMap(
                type -> key(type.descriptor().type(), type.descriptor().version()), type -> type));
    }

    /** The implementation of one version of a type. */
    public Optional<NodeType> find(String type, int version) {
        return Optional.ofNullable(runnable.get(key(type, version)));
    }

    private static String key(String type, int version) {
        return type + "@" + version;
    }

    /** Every version of every type, sorted by type then version. */
    public List<NodeTypeDescriptor> all() {
        return all;
    }

    /** The newest version of each type, optionally of one family only. */
    public List<NodeTypeDescriptor> latest(Optional<NodeFamily> family) {
        return versionsByType.values().stream()
                .map(versions -> versions.get(versions.size() - 1))
                .filter(descriptor -> family.isEmpty() || descriptor.family() == family.get())
                .toList();
    }

    /** Every version of one type, oldest first; empty when the type is unknown. */
    public List<NodeTypeDescriptor> versions(String type) {
        return versionsByType.getOrDefault(type, List.of());
    }

    /** A strong entity tag over the whole catalog: it changes whenever any descriptor does. */
    public String etag() {
        return etag;
    }

    private static void checkSchema(NodeTypeDescriptor descriptor) {
        if (descriptor.parametersSchema() == null || !descriptor.parametersSchema().isObject()) {
            throw new IllegalStateException("node type " + descriptor.type() + " has no parameters schema");
        }
        try {
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(descriptor.parametersSchema());
        } catch (RuntimeException e) {
            throw new IllegalStateException("the parameters schema of node type " + descriptor.type() + " v"
                    + descriptor.version() + " does not load: " + e.getMessage(), e);
        }
    }
}
