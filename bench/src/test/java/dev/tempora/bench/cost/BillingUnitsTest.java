package dev.tempora.bench.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

class BillingUnitsTest {

  @Test
  void writeUnitsRoundUpPerStartedKilobyteAndDoubleInTransactions() {
    assertEquals(1.0, BillingUnits.writeUnits(0, false));
    assertEquals(1.0, BillingUnits.writeUnits(1, false));
    assertEquals(1.0, BillingUnits.writeUnits(1024, false));
    assertEquals(2.0, BillingUnits.writeUnits(1025, false));
    assertEquals(3.0, BillingUnits.writeUnits(3000, false));
    assertEquals(6.0, BillingUnits.writeUnits(3000, true));
    assertEquals(2.0, BillingUnits.writeUnits(10, true));
  }

  @Test
  void readUnitsRoundUpPerStartedFourKilobytesAndHalveWhenEventuallyConsistent() {
    assertEquals(1.0, BillingUnits.readUnits(0, true));
    assertEquals(0.5, BillingUnits.readUnits(0, false));
    assertEquals(1.0, BillingUnits.readUnits(4096, true));
    assertEquals(2.0, BillingUnits.readUnits(4097, true));
    assertEquals(1.0, BillingUnits.readUnits(4097, false));
    // A query page of three 1.5 KB items is rounded on its 4.5 KB sum: 2 units, not 3.
    assertEquals(2.0, BillingUnits.readUnits(3 * 1536, true));
  }

  @Test
  void sqsRequestsAreSixtyFourKilobyteChunksOfTheWholePayload() {
    assertEquals(1, BillingUnits.sqsRequests(0));
    assertEquals(1, BillingUnits.sqsRequests(65_536));
    assertEquals(2, BillingUnits.sqsRequests(65_537));
    assertEquals(4, BillingUnits.sqsRequests(262_144));
    // A batch of ten 10 KB messages is billed on its 100 KB total: 2 requests.
    assertEquals(2, BillingUnits.sqsRequests(10 * 10_240));
  }

  @Test
  void sqsMessageSizeCountsBodyAndAttributeNamesTypesAndValues() {
    Map<String, MessageAttributeValue> attrs = new LinkedHashMap<>();
    attrs.put("ab", MessageAttributeValue.builder().dataType("String").stringValue("xyz").build()); // 2+6+3
    attrs.put("b", MessageAttributeValue.builder().dataType("Binary").binaryValue(SdkBytes.fromByteArray(new byte[4])).build()); // 1+6+4
    assertEquals(5 + 11 + 11, BillingUnits.sqsMessageBytes("hello", attrs));
    assertEquals(2, BillingUnits.sqsMessageBytes("é", Map.of()));
  }

  @Test
  void itemSizeFollowsDynamoDbSizingRules() {
    Map<String, AttributeValue> item = new LinkedHashMap<>();
    item.put("pk", AttributeValue.fromS("abc"));                   // 2 + 3
    item.put("n", AttributeValue.fromN("12345"));                  // 1 + (5+1)/2+1 = 1 + 4
    item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10]))); // 1 + 10
    item.put("t", AttributeValue.fromBool(true));                  // 1 + 1
    item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromS("yz")))); // 1 + 3+2+3
    item.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v")))); // 1 + 3+1+(1+1)
    assertEquals(5 + 5 + 11 + 2 + 9 + 7, BillingUnits.itemBytes(item));
  }
}
