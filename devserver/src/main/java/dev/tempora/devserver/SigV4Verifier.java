package dev.tempora.devserver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.jetty.http.HttpFields;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * Checks a request's AWS Signature Version 4 ({@code Authorization: AWS4-HMAC-SHA256 ...}) against
 * the stack's one credential, as AWS does: the access key id must be the stack's and the signature
 * must be the one its secret gives for this request. So only a client that holds the credential
 * (the devserver's own clients, or one that read the state file) is served.
 *
 * <p>The canonical request follows the AWS SDK's signer for every service but S3: the path as sent,
 * URL-encoded once more; query parameters decoded, re-encoded and sorted; the signed headers with
 * trimmed values; the body's SHA-256 (or {@code x-amz-content-sha256} if sent, which must match
 * the body unless it is {@code UNSIGNED-PAYLOAD}). Paths with dot segments (never sent by the SDK)
 * are not normalized and fail. No clock-skew check: replay needs a captured request, and every
 * listener is on loopback.
 */
final class SigV4Verifier {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request\\s*,"
          + "\\s*SignedHeaders=([a-z0-9;_.-]+)\\s*,\\s*Signature=([0-9a-f]{64})\\s*");
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

  /** A refusal with the AWS error name for it. */
  record Refused(String error, String message) {}

  private final String accessKeyId;
  private final byte[] secret;
  private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

  SigV4Verifier(AwsCredentials credentials) {
    this.accessKeyId = credentials.accessKeyId();
    this.secret = ("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
  }

  /** Empty if the request is signed with the stack's credential; else why not. */
  Optional<Refused> check(LocalRequest r) {
    String authorization = r.header("Authorization");
    if (authorization == null) {
      return refuse("MissingAuthenticationTokenException", "Request is missing Authentication Token");
    }
    Matcher m = AUTHORIZATION.matcher(authorization);
    if (!m.matches()) {
      return refuse("IncompleteSignatureException", "the Authorization header is not a valid " + ALGORITHM
          + " header (Credential, SignedHeaders and Signature are required)");
    }
    if (!m.group(1).equals(accessKeyId)) {
      return refuse("UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    String date = m.group(2);
    String region = m.group(3);
    String service = m.group(4);
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    String amzDate = r.header("X-Amz-Date");
    if (amzDate == null || !amzDate.startsWith(date) || !signedHeaders.contains("host")) {
      return refuse("IncompleteSignatureException", "the signature must cover the host header and X-Amz-Date of the "
          + "credential scope's date");
    }
    String bodyHash = hex(sha256(r.body()));
    String declaredHash = r.header("x-amz-content-sha256");
    if (declaredHash != null && !declaredHash.equals(UNSIGNED_PAYLOAD) && !declaredHash.equals(bodyHash)) {
      return refuse("InvalidSignatureException", "x-amz-content-sha256 does not match the body");
    }
    String canonical = String.join("\n", r.method(), canonicalUri(r.rawPath()), canonicalQuery(r.rawQuery()),
        canonicalHeaders(r.headers(), signedHeaders), String.join(";", signedHeaders),
        declaredHash != null ? declaredHash : bodyHash);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = ALGORITHM + "\n" + amzDate + "\n" + scope + "\n" + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = signingKeys.computeIfAbsent(scope, k -> signingKey(date, region, service));
    byte[] expected = hex(hmac(key, toSign)).getBytes(StandardCharsets.US_ASCII);
    if (!MessageDigest.isEqual(expected, m.group(6).getBytes(StandardCharsets.US_ASCII))) {
      return refuse("InvalidSignatureException", "The request signature we calculated does not match the signature "
          + "you provided. Check your AWS Secret Access Key and signing method.");
    }
    return Optional.empty();
  }

  /** The key of one scope (a day, a region, a service): four HMACs, so derived once and kept. */
  private byte[] signingKey(String date, String region, String service) {
    if (signingKeys.size() > 64) signingKeys.clear(); // scopes change daily; a few services and regions
    byte[] key = hmac(secret, date);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  private static Optional<Refused> refuse(String error, String message) {
    return Optional.of(new Refused(error, message));
  }

  static String canonicalUri(String rawPath) {
    return rawPath == null || rawPath.isEmpty() ? "/" : encode(rawPath, true);
  }

  static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) return "";
    List<String[]> params = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
    }
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] p : params) {
      if (!out.isEmpty()) out.append('&');
      out.append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  private static String canonicalHeaders(HttpFields headers, List<String> signed) {
    StringBuilder out = new StringBuilder();
    for (String name : signed) {
      List<String> values = new ArrayList<>();
      for (String v : headers.getValuesList(name)) {
        values.add(v.trim().replaceAll("\\s+", " "));
      }
      out.append(name).append(':').append(String.join(",", values)).append('\n');
    }
    return out.toString();
  }

  /** RFC 3986 percent-encoding of every byte but the unreserved characters (and '/' if kept). */
  private static String encode(String s, boolean keepSlash) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.' || c == '~' || (keepSlash && c == '/')) {
        out.append(c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Percent-decoding ('+' stays a plus: the SDK encodes a space as %20); malformed escapes stay as they are. */
  private static String decode(String s) {
    if (s.indexOf('%') < 0) return s;
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() && c == '%' ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (hi >= 0 && lo >= 0) {
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
