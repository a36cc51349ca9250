package dev.tempora.client.schedules;

/** A schedule: what it does (the action), when (the spec), how (the policy), and its state. */
public final class Schedule {
  private final ScheduleActionStartWorkflow action;
  private final ScheduleSpec spec;
  private final SchedulePolicy policy;
  private final ScheduleState state;

  private Schedule(Builder b) {
    action = b.action;
    spec = b.spec;
    policy = b.policy;
    state = b.state;
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder().setAction(action).setSpec(spec).setPolicy(policy).setState(state);
  }

  public ScheduleActionStartWorkflow getAction() { return action; }
  public ScheduleSpec getSpec() { return spec; }
  public SchedulePolicy getPolicy() { return policy; }
  public ScheduleState getState() { return state; }

  public static final class Builder {
    private ScheduleActionStartWorkflow action;
    private ScheduleSpec spec;
    private SchedulePolicy policy = SchedulePolicy.getDefaultInstance();
    private ScheduleState state = ScheduleState.newBuilder().build();

    public Builder setAction(ScheduleActionStartWorkflow v) { action = v; return this; }
    public Builder setSpec(ScheduleSpec v) { spec = v; return this; }
    public Builder setPolicy(SchedulePolicy v) { policy = v == null ? SchedulePolicy.getDefaultInstance() : v; return this; }
    public Builder setState(ScheduleState v) { state = v == null ? ScheduleState.newBuilder().build() : v; return this; }

    public Schedule build() {
      return new Schedule(this);
    }
  }
}
