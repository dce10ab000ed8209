import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Adds up PIT's {@code mutations.xml} files of several runs on the same code: a mutant counts as
 * killed when any run killed it (killed, timed out or out of memory, as PIT counts them). Prints
 * one line per class and the total. Runs narrowed to some tests give a lower bound of what all
 * the tests kill: a test that kills a mutant in one run kills it whatever else runs.
 *
 * <pre>java mutation/PitUnion.java [--survivors] run1/mutations.xml run2/mutations.xml ...</pre>
 */
public final class PitUnion {

    private static final Set<String> KILLED = Set.of("KILLED", "TIMED_OUT", "MEMORY_ERROR");

    private record Result(String status, String text) {
        boolean killed() {
            return KILLED.contains(status);
        }

        boolean timedOut() {
            return status.equals("TIMED_OUT");
        }
    }

    public static void main(String[] args) throws Exception {
        boolean survivors = args.length > 0 && args[0].equals("--survivors");
        Map<String, Result> mutants = new HashMap<>();
        for (String file : args) {
            if (file.startsWith("--")) {
                continue;
            }
            NodeList list = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of(file).toFile())
                    .getElementsByTagName("mutation");
            // Two mutants can share every field (a finally block compiled twice): number them.
            Map<String, Integer> seen = new HashMap<>();
            for (int i = 0; i < list.getLength(); i++) {
                Element m = (Element) list.item(i);
                String id = String.join("|", text(m, "mutatedClass"), text(m, "mutatedMethod"),
                        text(m, "methodDescription"), text(m, "lineNumber"), text(m, "mutator"), text(m, "indexes"),
                        text(m, "blocks"), text(m, "description"));
                id += "|" + seen.merge(id, 1, Integer::sum);
                String status = m.getAttribute("status");
                Result result = new Result(status,
                        text(m, "mutatedClass").replaceFirst("\\$.*", "") + " " + text(m, "mutatedMethod") + ":"
                                + text(m, "lineNumber") + " " + text(m, "description"));
                mutants.merge(id, result, (a, b) -> a.killed() ? a : b);
            }
        }
        Map<String, long[]> perClass = new TreeMap<>();
        List<String> alive = new ArrayList<>();
        for (Map.Entry<String, Result> e : mutants.entrySet()) {
            Result r = e.getValue();
            long[] counts = perClass.computeIfAbsent(e.getKey().substring(0, e.getKey().indexOf('|'))
                    .replaceFirst("\\$.*", ""), k -> new long[3]);
            counts[0] += r.killed() ? 1 : 0;
            counts[1]++;
            counts[2] += r.timedOut() ? 1 : 0;
            if (!r.killed()) {
                alive.add(r.status() + " " + r.text());
            }
        }
        long killed = 0;
        long all = 0;
        long timedOut = 0;
        for (Map.Entry<String, long[]> e : perClass.entrySet()) {
            long[] c = e.getValue();
            System.out.printf("%-60s %4d of %4d  %3d%%  (%d by timeout)%n", e.getKey(), c[0], c[1], 100 * c[0] / c[1],
                    c[2]);
            killed += c[0];
            all += c[1];
            timedOut += c[2];
        }
        System.out.printf("%-60s %4d of %4d  %.1f%%  (%d by timeout)%n", "total", killed, all, 100.0 * killed / all,
                timedOut);
        if (survivors) {
            alive.stream().sorted().forEach(System.out::println);
        }
    }

    private static String text(Element e, String tag) {
        NodeList nodes = e.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent();
    }
}
