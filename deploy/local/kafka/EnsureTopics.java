import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Waits until the broker answers, then creates the missing topics and grows any topic that has
 * fewer partitions than asked. Usage: EnsureTopics BOOTSTRAP TOPIC:PARTITIONS...
 */
public class EnsureTopics {
    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60000);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (int i = 1; i < args.length; i++) {
                String[] spec = args[i].split(":");
                String name = spec[0];
                int partitions = Integer.parseInt(spec[1]);
                if (!existing.contains(name)) {
                    missing.add(new NewTopic(name, partitions, (short) 1));
                    continue;
                }
                TopicDescription description = admin.describeTopics(List.of(name)).allTopicNames().get().get(name);
                int current = description.partitions().size();
                if (current < partitions) {
                    admin.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all().get();
                    System.out.printf("grew %s from %d to %d partitions%n", name, current, partitions);
                } else {
                    System.out.printf("kept %s (%d partitions)%n", name, current);
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) throw e;
                }
                missing.forEach(t -> System.out.printf("created %s (%d partitions)%n", t.name(), t.numPartitions()));
            }
        }
    }
}
