package dev.tempora.examples.fanout;

import dev.tempora.activity.ActivityInterface;

/** Activity type Square. */
@ActivityInterface
public interface MathActivities {
  long square(int n);
}
