package dev.tempora.internal.memory;

import dev.tempora.history.FailureInfo;
import dev.tempora.history.Payload;
import dev.tempora.internal.coordinator.HeartbeatStore;
import dev.tempora.internal.history.RunKey;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

public final class InMemoryHeartbeatStore implements HeartbeatStore {
  private record Key(RunKey run, long seq) {}

  private record State(Payload details, Instant at, boolean cancelRequested) {}

  private final ConcurrentHashMap<Key, State> states = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, String> claims = new ConcurrentHashMap<>();
  private final Set<RunKey> closedRuns = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<Key, Integer> latestClaims = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Instant> asyncSince = new ConcurrentHashMap<>();
  private final Set<String> closedAttempts = ConcurrentHashMap.newKeySet();
  private record Retry(int nextAttempt, FailureInfo failure, Instant at) {}
  private final ConcurrentHashMap<Key, Retry> retries = new ConcurrentHashMap<>();

  @Override
  public Claim claimAttempt(RunKey run, long seq, int attempt, String deliveryId) {
    String owner = claims.putIfAbsent(run + "/" + seq + "/" + attempt, deliveryId);
    latestClaims.merge(new Key(run, seq), attempt, Math::max);
    return new Claim(owner == null || owner.equals(deliveryId), isCancelRequested(run, seq), closedRuns.contains(run));
  }

  @Override
  public boolean heartbeat(RunKey run, long seq, Payload details, Instant at) {
    State s = states.compute(new Key(run, seq), (k, old) -> new State(details, at, old != null && old.cancelRequested));
    return s.cancelRequested || closedRuns.contains(run);
  }

  @Override
  public Optional<Payload> lastDetails(RunKey run, long seq) {
    State s = states.get(new Key(run, seq));
    return s == null ? Optional.empty() : Optional.ofNullable(s.details);
  }

  @Override
  public void requestCancel(RunKey run, long seq) {
    states.compute(new Key(run, seq), (k, old) -> new State(old == null ? null : old.details, old == null ? null : old.at, true));
  }

  @Override
  public void runClosed(RunKey run, Set<Long> openActivities) {
    closedRuns.add(run);
  }

  @Override
  public boolean isCancelRequested(RunKey run, long seq) {
    State s = states.get(new Key(run, seq));
    return s != null && s.cancelRequested;
  }

  @Override
  public AttemptState attemptState(RunKey run, long seq, int attempt) {
    State s = states.get(new Key(run, seq));
    String a = run + "/" + seq + "/" + attempt;
    return new AttemptState(latestClaims.getOrDefault(new Key(run, seq), 0), closedAttempts.contains(a),
        asyncSince.get(a), s == null ? null : s.at, s != null && s.cancelRequested, closedRuns.contains(run));
  }

  @Override
  public void markAsync(RunKey run, long seq, int attempt, Instant startedAt) {
    asyncSince.putIfAbsent(run + "/" + seq + "/" + attempt, startedAt);
  }

  @Override
  public boolean closeAttempt(RunKey run, long seq, int attempt) {
    return closedAttempts.add(run + "/" + seq + "/" + attempt);
  }

  @Override
  public void recordRetry(RunKey run, long seq, int nextAttempt, FailureInfo failure, Instant nextAttemptTime) {
    retries.merge(new Key(run, seq), new Retry(nextAttempt, HeartbeatStore.forDescribe(failure), nextAttemptTime),
        (old, now) -> now.nextAttempt() >= old.nextAttempt() ? now : old);
  }

  @Override
  public Optional<ActivityProgress> progress(RunKey run, long seq) {
    Key key = new Key(run, seq);
    Integer claimed = latestClaims.get(key);
    Retry retry = retries.get(key);
    State s = states.get(key);
    if (claimed == null && retry == null && (s == null || s.at == null)) {
      return Optional.empty();
    }
    int attempt = Math.max(claimed == null ? 1 : claimed, retry == null ? 1 : retry.nextAttempt());
    // The next attempt's time stands until that attempt is claimed.
    Instant next = retry != null && (claimed == null || claimed < retry.nextAttempt()) ? retry.at() : null;
    return Optional.of(new ActivityProgress(attempt, retry == null ? null : retry.failure(), next,
        s == null ? null : s.details, s == null ? null : s.at));
  }
}
