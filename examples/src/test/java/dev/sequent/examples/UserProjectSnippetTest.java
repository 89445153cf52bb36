package dev.sequent.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sequent.runtime.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Use Sequent in your project" and user-project/pom.xml (which .ci/run builds against
 * the installed artifacts) cannot drift apart: every block of the README's Maven snippet is in the
 * user project's POM verbatim (indentation aside), the POM takes nothing else from Sequent or for
 * its main code, and the versions the README names are the build's.
 */
class UserProjectSnippetTest {
  private static final String SECTION = "## Use Sequent in your project";

  private static Path root;
  private static String section;
  /** The first Maven snippet of the section, lines stripped of indentation. */
  private static List<String> snippet;
  /** user-project/pom.xml, lines stripped of indentation. */
  private static List<String> pom;
  private static String parentPom;

  @BeforeAll
  static void read() throws IOException {
    root = Fixtures.root().toAbsolutePath().getParent();
    String readme = Files.readString(root.resolve("README.md"));
    int start = readme.indexOf("\n" + SECTION + "\n");
    assertThat(start).as("README section " + SECTION).isNotNegative();
    int end = readme.indexOf("\n## ", start + 1);
    section = readme.substring(start, end < 0 ? readme.length() : end);
    List<String> xml = codeBlocks(section, "xml");
    assertThat(xml).as("xml blocks in " + SECTION).isNotEmpty();
    snippet = stripped(xml.get(0));
    pom = stripped(Files.readString(root.resolve("user-project").resolve("pom.xml")));
    parentPom = Files.readString(root.resolve("pom.xml"));
  }

  @Test
  void everyBlockOfTheSnippetIsInTheUserProjectVerbatim() {
    List<List<String>> units = new ArrayList<>(blocks(snippet, "dependency"));
    units.addAll(blocks(snippet, "plugin"));
    assertThat(blocks(snippet, "dependency")).hasSize(2);
    assertThat(blocks(snippet, "plugin")).hasSize(1);
    assertThat(String.join("\n", units.get(units.size() - 1))).contains("<annotationProcessorPaths>")
        .contains("<artifactId>sequent-processor</artifactId>");
    for (String property : inside(snippet, "properties")) {
      units.add(List.of(property));
    }
    for (List<String> unit : units) {
      assertThat(Collections.indexOfSubList(pom, unit)).as("in user-project/pom.xml:\n" + String.join("\n", unit))
          .isNotNegative();
    }
  }

  @Test
  void theUserProjectTakesNothingElseForItsMainCode() {
    List<List<String>> fromReadme = blocks(snippet, "dependency");
    for (List<String> dependency : blocks(pom, "dependency")) {
      if (!dependency.contains("<scope>test</scope>")) {
        assertThat(fromReadme).as("a non-test dependency of user-project/pom.xml not in the README")
            .anyMatch(readme -> Collections.indexOfSubList(readme, dependency) >= 0);
      }
    }
    List<List<String>> readmePlugins = blocks(snippet, "plugin");
    for (List<String> plugin : blocks(pom, "plugin")) {
      if (plugin.contains("<artifactId>maven-compiler-plugin</artifactId>")) {
        assertThat(readmePlugins).anyMatch(readme -> Collections.indexOfSubList(readme, plugin) >= 0);
      }
    }
  }

  @Test
  void theReadmeNamesTheBuildsVersions() {
    String sequent = parentVersion();
    String slf4j = property(parentPom, "slf4j.version");
    String nd4j = property(parentPom, "nd4j.version");
    assertThat(snippet).contains("<sequent.version>" + sequent + "</sequent.version>");
    assertThat(String.join("\n", blocks(snippet, "dependency").get(1)))
        .contains("<artifactId>slf4j-simple</artifactId>\n<version>" + slf4j + "</version>");
    assertThat(String.join("\n", blocks(snippet, "plugin").get(0))).contains("<version>"
        + pluginVersion("maven-compiler-plugin") + "</version>");

    String gradle = codeBlocks(section, "groovy").get(0);
    assertThat(gradle).contains("implementation 'dev.sequent:sequent-runtime:" + sequent + "'")
        .contains("annotationProcessor 'dev.sequent:sequent-processor:" + sequent + "'")
        .contains("runtimeOnly 'org.slf4j:slf4j-simple:" + slf4j + "'");

    assertThat(section).contains("`" + property(parentPom, "nd4j.classifier") + "`")
        .contains("'org.nd4j:nd4j-native:" + nd4j + "'");
    for (String block : codeBlocks(section, "xml")) {
      Matcher m = Pattern.compile("<artifactId>nd4j-native</artifactId>\\s*<version>([^<]+)</version>").matcher(block);
      while (m.find()) {
        assertThat(m.group(1)).isEqualTo(nd4j);
      }
    }
  }

  private static String parentVersion() {
    Matcher m = Pattern.compile("<artifactId>sequent-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(parentPom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String pluginVersion(String artifactId) {
    Matcher m = Pattern.compile("<artifactId>" + Pattern.quote(artifactId) + "</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(parentPom);
    assertThat(m.find()).as(artifactId + " in the parent POM").isTrue();
    return m.group(1);
  }

  private static String property(String xml, String name) {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(xml);
    assertThat(m.find()).as(name).isTrue();
    return m.group(1);
  }

  /** The fenced code blocks of {@code markdown} in {@code language}. */
  private static List<String> codeBlocks(String markdown, String language) {
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^```" + Pattern.quote(language) + "\n(.*?)^```$", Pattern.DOTALL).matcher(markdown);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  private static List<String> stripped(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /** Each {@code <tag>...</tag>} element, with the comment lines just before it. */
  private static List<List<String>> blocks(List<String> lines, String tag) {
    List<List<String>> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("<" + tag + ">")) {
        int from = i;
        while (from > 0 && lines.get(from - 1).startsWith("<!--")) {
          from--;
        }
        int to = lines.subList(i, lines.size()).indexOf("</" + tag + ">") + i;
        blocks.add(List.copyOf(lines.subList(from, to + 1)));
      }
    }
    return blocks;
  }

  /** The lines between {@code <tag>} and {@code </tag>}. */
  private static List<String> inside(List<String> lines, String tag) {
    int from = lines.indexOf("<" + tag + ">");
    int to = lines.indexOf("</" + tag + ">");
    assertThat(from).as("<" + tag + ">").isNotNegative();
    return lines.subList(from + 1, to);
  }
}
