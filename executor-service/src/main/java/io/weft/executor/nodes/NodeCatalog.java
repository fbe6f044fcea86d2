package io.weft.executor.nodes;

import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.weft.contracts.json.CanonicalJson;
import io.weft.contracts.nodes.NodeFamily;
import io.weft.contracts.nodes.NodeTypeDescriptor;
import io.weft.executor.nodes.custom.CustomNodeTypes;
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
 * Every node type this executor can run, by type and version. The built-in ones are built once at
 * start-up from the {@link NodeType} beans (a broken descriptor stops the service from starting
 * rather than reaching the compiler); a tenant's own types ({@code custom.*},
 * {@link CustomNodeTypes}) are looked up for that tenant only.
 */
@ApplicationScoped
public class NodeCatalog {
    private static final Comparator<NodeTypeDescriptor> BY_TYPE_AND_VERSION =
            Comparator.comparing(NodeTypeDescriptor::type).thenComparingInt(NodeTypeDescriptor::version);

    private final List<NodeTypeDescriptor> all;
    private final Map<String, NodeType> runnable;
    private final Map<String, List<NodeTypeDescriptor>> versionsByType;
    private final String etag;
    private final CustomNodeTypes custom;

    @Inject
    NodeCatalog(Instance<NodeType> types, CustomNodeTypes custom) {
        this(types.stream().toList(), custom);
    }

    public NodeCatalog(List<NodeType> types) {
        this(types, null);
    }

    public NodeCatalog(List<NodeType> types, CustomNodeTypes custom) {
        this.custom = custom;
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

    /** The implementation of one version of a built-in type. */
    public Optional<NodeType> find(String type, int version) {
        return Optional.ofNullable(runnable.get(key(type, version)));
    }

    /** The implementation of one version of a type for a run of the tenant: a built-in one, or the tenant's own. */
    public Optional<NodeType> find(String tenant, String type, int version) {
        NodeType builtIn = runnable.get(key(type, version));
        if (builtIn != null || custom == null || tenant == null || !CustomNodeTypes.isCustom(type)) {
            return Optional.ofNullable(builtIn);
        }
        return custom.runnable(tenant, type, version);
    }

    /** The catalog as a tenant sees it: the built-in types and its own, read once. */
    public TenantCatalog forTenant(Optional<String> tenant) {
        List<NodeTypeDescriptor> own = custom == null || tenant.isEmpty() ? List.of()
                : custom.list(tenant.get()).stream().map(CustomNodeTypes.Stored::descriptor).toList();
        return new TenantCatalog(own);
    }

    /** One tenant's view of the catalog: every built-in version, then its own types' versions. */
    public final class TenantCatalog {
        private final List<NodeTypeDescriptor> own;

        private TenantCatalog(List<NodeTypeDescriptor> own) {
            this.own = own;
        }

        public List<NodeTypeDescriptor> all() {
            if (own.isEmpty()) {
                return NodeCatalog.this.all;
            }
            List<NodeTypeDescriptor> both = new java.util.ArrayList<>(NodeCatalog.this.all);
            both.addAll(own);
            return both;
        }

        /** The newest version of each type, optionally of one family only. */
        public List<NodeTypeDescriptor> latest(Optional<NodeFamily> family) {
            List<NodeTypeDescriptor> latest = new java.util.ArrayList<>(NodeCatalog.this.latest(family));
            own.stream().collect(Collectors.groupingBy(NodeTypeDescriptor::type, TreeMap::new, Collectors.toList())).values()
                    .stream().map(versions -> versions.get(versions.size() - 1))
                    .filter(descriptor -> family.isEmpty() || descriptor.family() == family.get())
                    .forEach(latest::add);
            return latest;
        }

        /** Every version of one type, oldest first; empty when there is none. */
        public List<NodeTypeDescriptor> versions(String type) {
            return CustomNodeTypes.isCustom(type) ? own.stream().filter(descriptor -> descriptor.type().equals(type)).toList()
                    : NodeCatalog.this.versions(type);
        }

        /** A tag that changes with any built-in descriptor and with any of the tenant's own types. */
        public String etag() {
            return own.isEmpty() ? etag : "\"" + CanonicalJson.sha256(List.of(etag, own)) + "\"";
        }
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
