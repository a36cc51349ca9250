package dev.tempora.internal.aws;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class SqsLimitsTest {
  @Test
  void delaysRoundUpToWholeSecondsAndClampToFifteenMinutes() {
    assertEquals(0, SqsLimits.delaySeconds(Duration.ofSeconds(-3)));
    assertEquals(0, SqsLimits.delaySeconds(Duration.ZERO));
    assertEquals(1, SqsLimits.delaySeconds(Duration.ofMillis(1)));
    assertEquals(2, SqsLimits.delaySeconds(Duration.ofMillis(1001)));
    assertEquals(900, SqsLimits.delaySeconds(Duration.ofSeconds(900)));
    assertEquals(900, SqsLimits.delaySeconds(Duration.ofDays(2)));
  }

  @Test
  void sizeCountsUtf8BytesOfBodyAndAttributes() {
    assertEquals(1 + 2 + 3 + 4, SqsLimits.messageBytes("a\u00e9\u20ac\uD83D\uDE00", null));
    MessageAttributeValue v = MessageAttributeValue.builder().dataType("Number").stringValue("123").build();
    assertEquals(2 + "notBefore".length() + "Number".length() + 3, SqsLimits.messageBytes("{}", Map.of("notBefore", v)));
  }

  @Test
  void onlyCharactersSqsRefusesAreEscaped() {
    String clean = "{\"a\":\"\u00e9 \uD83D\uDE00\\n\"}";
    assertSame(clean, SqsLimits.sqsSafeJson(clean));
    assertEquals("\"x\\uFFFEy\\uFFFF\\uD800z\\uDC00\"", SqsLimits.sqsSafeJson("\"x\uFFFEy\uFFFF\uD800z\uDC00\""));
  }

  @Test
  void groupIdsAreTheKeyWhenValidElseAHash() {
    assertEquals("ns#order-1", SqsLimits.groupId("ns#order-1"));
    String odd = SqsLimits.groupId("ns#ordre n\u00b01");
    assertTrue(odd.startsWith("h-") && odd.length() == 66, odd);
    assertTrue(SqsLimits.isValidId(odd));
    assertFalse(SqsLimits.isValidId("x".repeat(129)));
    assertEquals(64, SqsLimits.deduplicationId("r/t/1").length());
  }
}
