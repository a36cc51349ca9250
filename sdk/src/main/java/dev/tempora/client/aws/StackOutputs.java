package dev.tempora.client.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * A stack's outputs: from {@code cdk deploy --outputs-file}'s JSON, or from CloudFormation's
 * DescribeStacks. DescribeStacks is one signed Query API call made here (SigV4 with the SDK's
 * signer) rather than through the SDK's CloudFormation client, which is not among the engine's
 * dependencies for the sake of one read.
 */
final class StackOutputs {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Headers java.net.http sets itself and refuses to be given. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");

  record Described(String region, Map<String, String> outputs) {}

  private StackOutputs() {}

  static Map<String, String> fromOutputsFile(Path file, String stackName) throws IOException {
    JsonNode root = JSON.readTree(file.toFile());
    if (root == null || !root.isObject() || root.isEmpty()) {
      throw new IllegalArgumentException("InvalidOutputsFile: " + file + " is not a `cdk deploy --outputs-file` JSON "
          + "object of stacks");
    }
    JsonNode stack;
    if (stackName != null) {
      stack = root.get(stackName);
      if (stack == null) {
        throw new IllegalArgumentException("StackNotFound: no stack " + stackName + " in " + file + " (it has "
            + String.join(", ", List.copyOf(iterable(root.fieldNames()))) + ")");
      }
    } else if (root.size() == 1) {
      stack = root.elements().next();
    } else {
      throw new IllegalArgumentException("AmbiguousStack: " + file + " has several stacks ("
          + String.join(", ", List.copyOf(iterable(root.fieldNames()))) + "): name one");
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    stack.fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
    return outputs;
  }

  private static <T> java.util.Collection<T> iterable(java.util.Iterator<T> it) {
    List<T> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  static Described describe(String stackName, String region, AwsCredentialsProvider credentials) {
    String r = region != null ? region : new DefaultAwsRegionProviderChain().getRegion().id();
    AwsCredentialsProvider creds = credentials != null ? credentials : DefaultCredentialsProvider.builder().build();
    return new Described(r, describe(URI.create("https://cloudformation." + r + ".amazonaws.com/"), stackName, r, creds));
  }

  /** DescribeStacks against {@code endpoint}; its outputs by key. */
  static Map<String, String> describe(URI endpoint, String stackName, String region, AwsCredentialsProvider credentials) {
    String body = "Action=DescribeStacks&Version=2010-05-15&StackName=" + URLEncoder.encode(stackName, StandardCharsets.UTF_8);
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(s -> s.identity(credentials.resolveCredentials()).request(request)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "cloudformation")
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder http = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    signed.request().headers().forEach((name, values) -> {
      if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        values.forEach(v -> http.header(name, v));
      }
    });
    HttpResponse<byte[]> response;
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
      response = client.send(http.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("CloudFormationUnreachable: " + endpoint + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    Document doc = parse(response.body());
    if (response.statusCode() != 200) {
      throw new IllegalArgumentException("CloudFormation" + text(doc.getDocumentElement(), "Code") + ": "
          + text(doc.getDocumentElement(), "Message"));
    }
    Map<String, String> outputs = new LinkedHashMap<>();
    NodeList keys = doc.getElementsByTagName("OutputKey");
    for (int i = 0; i < keys.getLength(); i++) {
      Element member = (Element) keys.item(i).getParentNode();
      outputs.put(keys.item(i).getTextContent().trim(), text(member, "OutputValue"));
    }
    return outputs;
  }

  private static Document parse(byte[] xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new IllegalStateException("CloudFormation answered something that is not XML: " + e.getMessage(), e);
    }
  }

  private static String text(Element in, String tag) {
    NodeList n = in.getElementsByTagName(tag);
    return n.getLength() == 0 ? "" : n.item(0).getTextContent().trim();
  }
}
