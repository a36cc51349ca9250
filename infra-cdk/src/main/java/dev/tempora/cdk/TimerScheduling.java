package dev.tempora.cdk;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.scheduler.ScheduleGroup;
import software.amazon.awscdk.services.sqs.IQueue;
import software.constructs.Construct;

/**
 * What long timers need from EventBridge Scheduler: the schedule group the coordinator creates its
 * one-time {@code at()} schedules in, and the role Scheduler assumes to deliver them. The role can
 * do exactly one thing, send to the timers queue, and only Scheduler acting for this account and
 * this group may assume it (the confused-deputy conditions AWS documents for Scheduler).
 */
public final class TimerScheduling extends Construct {
  static final String SCHEDULER_SERVICE = "scheduler.amazonaws.com";

  private final ScheduleGroup group;
  private final Role role;

  public TimerScheduling(Construct scope, String id, String groupName, IQueue timersQueue) {
    super(scope, id);
    group = ScheduleGroup.Builder.create(this, "Group").scheduleGroupName(groupName).build();
    Stack stack = Stack.of(this);
    role = Role.Builder.create(this, "SchedulerRole")
        .description("Assumed by EventBridge Scheduler to put Tempora's long timers on the timers queue")
        .assumedBy(new ServicePrincipal(SCHEDULER_SERVICE).withConditions(Map.of(
            "StringEquals", Map.of("aws:SourceAccount", stack.getAccount()),
            "ArnEquals", Map.of("aws:SourceArn", group.getScheduleGroupArn()))))
        .build();
    role.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("sqs:SendMessage"))
        .resources(List.of(timersQueue.getQueueArn()))
        .build());
  }

  /** Scheduler also delivers schedule ticks to this queue (and failed deliveries to its DLQ) with the role. */
  public void allowDeliveryTo(IQueue queue) {
    role.addToPrincipalPolicy(PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("sqs:SendMessage"))
        .resources(List.of(queue.getQueueArn()))
        .build());
  }

  /**
   * Lets {@code grantee} create, update and delete the recurring Scheduler schedules of Tempora
   * schedules (named {@code s-<hash>}, so the resource is {@code schedule/<group>/s-*}: not the
   * timers' {@code t-} schedules), and pass this role, to Scheduler only.
   */
  public void grantManageRecurringSchedules(IGrantable grantee) {
    String recurring = Stack.of(this).formatArn(ArnComponents.builder()
        .service("scheduler").resource("schedule").resourceName(group.getScheduleGroupName() + "/s-*").build());
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"))
        .resources(List.of(recurring))
        .build());
    grantPassRole(grantee);
  }

  private void grantPassRole(IGrantable grantee) {
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("iam:PassRole"))
        .resources(List.of(role.getRoleArn()))
        .conditions(Map.of("StringEquals", Map.of("iam:PassedToService", SCHEDULER_SERVICE)))
        .build());
  }

  public ScheduleGroup group() {
    return group;
  }

  public Role role() {
    return role;
  }

  /**
   * Lets {@code grantee} (the coordinator) create and delete schedules in this group only, and pass
   * this role, to Scheduler only. Schedule names are derived from timer ids, so the resource is the
   * group's schedules, {@code schedule/<group>/*}.
   */
  public void grantManageSchedules(IGrantable grantee) {
    String schedulesInGroup = Stack.of(this).formatArn(ArnComponents.builder()
        .service("scheduler").resource("schedule").resourceName(group.getScheduleGroupName() + "/*").build());
    grantee.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(List.of("scheduler:CreateSchedule", "scheduler:DeleteSchedule"))
        .resources(List.of(schedulesInGroup))
        .build());
    grantPassRole(grantee);
  }
}
