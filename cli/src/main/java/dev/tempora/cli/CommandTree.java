package dev.tempora.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command tree, registered lazily: picocli builds each command's model by reflection, and the
 * whole tree cost about half of a {@code describe}'s time. Only the group and the verb the command
 * line names are added; when it names none that is known (help, a typo), the whole tree is, so
 * help and suggestions are as before.
 */
final class CommandTree {
  private CommandTree() {}

  record Group(Class<?> command, List<Class<?>> verbs) {}

  static final List<Group> GROUPS = List.of(
      new Group(WorkflowCommands.class, List.of(WorkflowCommands.Start.class, WorkflowCommands.Execute.class,
          WorkflowCommands.Signal.class, WorkflowCommands.Query.class, WorkflowCommands.Update.class,
          WorkflowCommands.Describe.class, WorkflowCommands.ListRuns.class, WorkflowCommands.Count.class,
          WorkflowCommands.Show.class, WorkflowCommands.Result.class, WorkflowCommands.Cancel.class,
          WorkflowCommands.Terminate.class)),
      new Group(ScheduleCommands.class, List.of(ScheduleCommands.Create.class, ScheduleCommands.ListSchedules.class,
          ScheduleCommands.Describe.class, ScheduleCommands.Update.class, ScheduleCommands.Pause.class,
          ScheduleCommands.Unpause.class, ScheduleCommands.Trigger.class, ScheduleCommands.Backfill.class,
          ScheduleCommands.Delete.class)),
      new Group(ActivityCommands.class, List.of(ActivityCommands.Complete.class, ActivityCommands.Fail.class,
          ActivityCommands.Heartbeat.class, ActivityCommands.Cancel.class)),
      new Group(DlqCommands.class, List.of(DlqCommands.ListMessages.class, DlqCommands.Redrive.class)),
      new Group(UiCommand.class, List.of()));

  /** Adds to {@code root} the part of the tree {@code args} (after the legacy rewrite) names. */
  static void register(CommandLine root, String[] args, Set<String> globalWithValue) {
    List<String> words = words(args, globalWithValue, 2);
    Group named = words.isEmpty() ? null
        : GROUPS.stream().filter(g -> names(g.command()).contains(words.get(0))).findFirst().orElse(null);
    for (Group g : GROUPS) {
      if (named != null && g != named) continue;
      CommandLine group = new CommandLine(g.command());
      root.addSubcommand(group);
      Class<?> verb = g != named || words.size() < 2 ? null
          : g.verbs().stream().filter(v -> names(v).contains(words.get(1))).findFirst().orElse(null);
      for (Class<?> v : g.verbs()) {
        if (verb == null || v == verb) group.addSubcommand(new CommandLine(v));
      }
    }
  }

  /** The first {@code n} words that are neither options nor a global option's value. */
  private static List<String> words(String[] args, Set<String> globalWithValue, int n) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < args.length && words.size() < n; i++) {
      String a = args[i];
      if (a.equals("--")) break;
      if (a.startsWith("-")) {
        if (globalWithValue.contains(a)) i++;
        continue;
      }
      words.add(a);
    }
    return words;
  }

  private static List<String> names(Class<?> command) {
    Command c = command.getAnnotation(Command.class);
    List<String> names = new ArrayList<>(List.of(c.aliases()));
    names.add(c.name());
    return names;
  }
}
