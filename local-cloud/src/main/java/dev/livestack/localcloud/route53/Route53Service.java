package dev.livestack.localcloud.route53;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.livestack.localcloud.core.AwsException;
import dev.livestack.localcloud.core.AwsRequest;
import dev.livestack.localcloud.core.AwsService;
import dev.livestack.localcloud.core.CloudContext;
import dev.livestack.localcloud.core.Http;
import dev.livestack.localcloud.core.Ids;
import dev.livestack.localcloud.core.StateStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Route 53 hosted zones (REST-XML under {@code /2013-04-01/}): CreateHostedZone, GetHostedZone, ListHostedZones,
 * ListHostedZonesByName (what {@code HostedZone.fromLookup} reads), GetHostedZoneCount and DeleteHostedZone. Zones
 * are global, as Route 53's are, and persist in the state folder.
 */
public final class Route53Service implements AwsService {
    static final String NAMESPACE = "https://route53.amazonaws.com/doc/2013-04-01/";
    private static final String PREFIX = "/2013-04-01/";

    private final Path file;
    private final CloudContext context;
    /** Zones by bare id ({@code Z0…}). */
    private final Map<String, ObjectNode> zones = new TreeMap<>();

    public Route53Service(CloudContext context) {
        this.context = context;
        this.file = context.store().folder("route53").resolve("zones.json");
        Map<String, ObjectNode> saved = context.store().load(file, StateStore::objectsByKey);
        if (saved != null) {
            zones.putAll(saved);
        }
    }

    @Override
    public String signingName() {
        return "route53";
    }

    @Override
    public synchronized void reset() {
        zones.clear();
        save();
    }

    @Override
    public String operation(AwsRequest request) {
        String p = request.path();
        String m = request.method();
        if (p.equals(PREFIX + "hostedzone")) {
            return m.equals("POST") ? "CreateHostedZone" : "ListHostedZones";
        }
        if (p.equals(PREFIX + "hostedzonesbyname")) {
            return "ListHostedZonesByName";
        }
        if (p.equals(PREFIX + "hostedzonecount")) {
            return "GetHostedZoneCount";
        }
        if (p.startsWith(PREFIX + "hostedzone/")) {
            return m.equals("DELETE") ? "DeleteHostedZone" : "GetHostedZone";
        }
        return m + " " + p;
    }

    @Override
    public AwsException throttling() {
        return new AwsException(400, "Throttling", "Rate exceeded");
    }

    @Override
    public synchronized void handle(AwsRequest request) throws IOException {
        String op = operation(request);
        StringBuilder x = new StringBuilder(512);
        int status = 200;
        switch (op) {
            case "CreateHostedZone" -> {
                if (!request.method().equals("POST")) {
                    throw unknown(request);
                }
                ObjectNode zone = create(RestXml.parse(request.body()));
                x.append("<HostedZone>");
                zoneXml(x, zone);
                x.append("</HostedZone>");
                changeInfo(x, "PENDING");
                delegationOrVpcs(x, zone, true);
                status = 201;
                request.exchange().getResponseHeaders().set("Location",
                        "https://route53.amazonaws.com" + PREFIX + "hostedzone/" + bare(zone.get("Id").asText()));
            }
            case "GetHostedZone" -> {
                ObjectNode zone = find(lastSegment(request.path()));
                x.append("<HostedZone>");
                zoneXml(x, zone);
                x.append("</HostedZone>");
                delegationOrVpcs(x, zone, false);
            }
            case "DeleteHostedZone" -> {
                String id = lastSegment(request.path());
                find(id);
                zones.remove(id);
                save();
                changeInfo(x, "PENDING");
            }
            case "GetHostedZoneCount" -> x.append("<HostedZoneCount>").append(zones.size()).append("</HostedZoneCount>");
            case "ListHostedZones" -> list(x, request, false);
            case "ListHostedZonesByName" -> list(x, request, true);
            default -> throw unknown(request);
        }
        String response = op + "Response";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + response + " xmlns=\"" + NAMESPACE + "\">" + x
                + "</" + response + ">";
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.send(request.exchange(), status, "text/xml", xml);
    }

    private static AwsException unknown(AwsRequest request) {
        return new AwsException(404, "UnknownOperationException", "No operation at " + request.method() + " " + request.path());
    }

    private ObjectNode create(Map<String, String> in) {
        String name = in.get("Name");
        String caller = in.get("CallerReference");
        if (name == null || name.isBlank()) {
            throw new AwsException(400, "InvalidInput", "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
        }
        if (caller == null || caller.isBlank()) {
            throw new AwsException(400, "InvalidInput",
                    "1 validation error detected: Value null at 'callerReference' failed to satisfy constraint: Member must not be null");
        }
        String dns = normalise(name);
        for (ObjectNode z : zones.values()) {
            if (z.get("CallerReference").asText().equals(caller)) {
                throw new AwsException(409, "HostedZoneAlreadyExists",
                        "A hosted zone has already been created with the specified caller reference.");
            }
        }
        String vpcId = in.get("VPC/VPCId");
        String vpcRegion = in.get("VPC/VPCRegion");
        if ((vpcId == null) != (vpcRegion == null)) {
            throw new AwsException(400, "InvalidVPCId", "The VPC ID and the VPC region must be specified together.");
        }
        String id = "Z0" + Ids.upper(19);
        ObjectNode z = Http.JSON.createObjectNode();
        z.put("Id", "/hostedzone/" + id);
        z.put("Name", dns);
        z.put("CallerReference", caller);
        ObjectNode config = z.putObject("Config");
        if (in.get("HostedZoneConfig/Comment") != null) {
            config.put("Comment", in.get("HostedZoneConfig/Comment"));
        }
        config.put("PrivateZone", vpcId != null);
        z.put("ResourceRecordSetCount", 2);
        if (vpcId != null) {
            z.putArray("VPCs").addObject().put("VPCRegion", vpcRegion).put("VPCId", vpcId);
        } else {
            ArrayNode ns = z.putArray("NameServers");
            String h = StateStore.sha256(id);
            String[] tlds = {"com", "net", "org", "co.uk"};
            for (int i = 0; i < 4; i++) {
                int n = Integer.parseInt(h.substring(i * 4, i * 4 + 4), 16) % 2048;
                ns.add("ns-" + (n + 512 * i) + ".awsdns-" + String.format("%02d", n % 64) + "." + tlds[i]);
            }
        }
        zones.put(id, z);
        save();
        return z;
    }

    /** Lower case with a trailing dot, as Route 53 stores names; labels are checked as DNS labels. */
    static String normalise(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        if (!n.endsWith(".")) {
            n = n + ".";
        }
        if (n.length() > 255 || !n.matches("([a-z0-9_*]([a-z0-9_-]{0,61}[a-z0-9_])?\\.)+")) {
            throw new AwsException(400, "InvalidDomainName", name + " is not a valid domain name.");
        }
        return n;
    }

    private ObjectNode find(String id) {
        ObjectNode z = zones.get(bare(id));
        if (z == null) {
            throw new AwsException(404, "NoSuchHostedZone", "No hosted zone found with ID: " + bare(id));
        }
        return z;
    }

    private static String bare(String id) {
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }

    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Route 53's order for ListHostedZonesByName: labels reversed ({@code com.example.}), then id. */
    static String reversed(String dns) {
        String[] labels = dns.split("\\.");
        StringBuilder r = new StringBuilder();
        for (int i = labels.length - 1; i >= 0; i--) {
            r.append(labels[i]).append('.');
        }
        return r.toString();
    }

    private void list(StringBuilder x, AwsRequest request, boolean byName) {
        Map<String, String> q = request.query();
        int max = 100;
        if (q.get("maxitems") != null) {
            try {
                max = Integer.parseInt(q.get("maxitems"));
            } catch (NumberFormatException e) {
                throw new AwsException(400, "InvalidInput", "Invalid value for maxitems: " + q.get("maxitems"));
            }
        }
        if (max < 1) {
            throw new AwsException(400, "InvalidInput", "1 validation error detected: Value '" + max
                    + "' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1");
        }
        List<ObjectNode> all = new ArrayList<>(zones.values());
        if (byName) {
            all.sort(Comparator.comparing((ObjectNode z) -> reversed(z.get("Name").asText())).thenComparing(z -> z.get("Id").asText()));
        } else {
            all.sort(Comparator.comparing(z -> z.get("Id").asText()));
        }
        int start = 0;
        String dnsName = byName ? q.get("dnsname") : null;
        String startId = byName ? q.get("hostedzoneid") : q.get("marker");
        if (byName && startId != null && dnsName == null) {
            throw new AwsException(400, "InvalidInput", "The DNSName must be specified when the HostedZoneId is specified.");
        }
        if (dnsName != null) {
            String from = reversed(normalise(dnsName));
            while (start < all.size() && reversed(all.get(start).get("Name").asText()).compareTo(from) < 0) {
                start++;
            }
        }
        if (startId != null) {
            String id = "/hostedzone/" + bare(startId);
            int s = start;
            while (s < all.size() && !all.get(s).get("Id").asText().equals(id)) {
                s++;
            }
            start = s;
        }
        int end = Math.min(all.size(), start + max);
        x.append("<HostedZones>");
        for (int i = start; i < end; i++) {
            x.append("<HostedZone>");
            zoneXml(x, all.get(i));
            x.append("</HostedZone>");
        }
        x.append("</HostedZones>");
        if (byName) {
            if (dnsName != null) {
                x.append("<DNSName>").append(Http.xmlEscape(dnsName)).append("</DNSName>");
            }
            if (startId != null) {
                x.append("<HostedZoneId>").append(Http.xmlEscape(bare(startId))).append("</HostedZoneId>");
            }
        } else {
            x.append("<Marker>").append(startId == null ? "" : Http.xmlEscape(startId)).append("</Marker>");
        }
        boolean truncated = end < all.size();
        x.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
        if (truncated) {
            ObjectNode next = all.get(end);
            if (byName) {
                x.append("<NextDNSName>").append(Http.xmlEscape(next.get("Name").asText())).append("</NextDNSName>");
                x.append("<NextHostedZoneId>").append(bare(next.get("Id").asText())).append("</NextHostedZoneId>");
            } else {
                x.append("<NextMarker>").append(bare(next.get("Id").asText())).append("</NextMarker>");
            }
        }
        x.append("<MaxItems>").append(max).append("</MaxItems>");
    }

    private static void zoneXml(StringBuilder x, ObjectNode z) {
        x.append("<Id>").append(z.get("Id").asText()).append("</Id>");
        x.append("<Name>").append(Http.xmlEscape(z.get("Name").asText())).append("</Name>");
        x.append("<CallerReference>").append(Http.xmlEscape(z.get("CallerReference").asText())).append("</CallerReference>");
        x.append("<Config>");
        JsonNode c = z.get("Config");
        if (c.has("Comment")) {
            x.append("<Comment>").append(Http.xmlEscape(c.get("Comment").asText())).append("</Comment>");
        }
        x.append("<PrivateZone>").append(c.get("PrivateZone").asBoolean()).append("</PrivateZone></Config>");
        x.append("<ResourceRecordSetCount>").append(z.get("ResourceRecordSetCount").asInt()).append("</ResourceRecordSetCount>");
    }

    private static void delegationOrVpcs(StringBuilder x, ObjectNode z, boolean created) {
        if (z.has("NameServers")) {
            x.append("<DelegationSet><NameServers>");
            z.get("NameServers").forEach(n -> x.append("<NameServer>").append(n.asText()).append("</NameServer>"));
            x.append("</NameServers></DelegationSet>");
        }
        if (z.has("VPCs")) {
            JsonNode first = z.get("VPCs").get(0);
            if (created) {
                x.append("<VPC><VPCRegion>").append(Http.xmlEscape(first.get("VPCRegion").asText())).append("</VPCRegion><VPCId>")
                        .append(Http.xmlEscape(first.get("VPCId").asText())).append("</VPCId></VPC>");
            } else {
                x.append("<VPCs>");
                z.get("VPCs").forEach(v -> x.append("<VPC><VPCRegion>").append(Http.xmlEscape(v.get("VPCRegion").asText()))
                        .append("</VPCRegion><VPCId>").append(Http.xmlEscape(v.get("VPCId").asText())).append("</VPCId></VPC>"));
                x.append("</VPCs>");
            }
        }
    }

    private static void changeInfo(StringBuilder x, String status) {
        x.append("<ChangeInfo><Id>/change/C").append(Ids.upper(20)).append("</Id><Status>").append(status)
                .append("</Status><SubmittedAt>").append(Instant.now().truncatedTo(ChronoUnit.MILLIS)).append("</SubmittedAt></ChangeInfo>");
    }

    @Override
    public void renderError(AwsRequest request, AwsException error) throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error><Type>"
                + (error.sender() ? "Sender" : "Receiver") + "</Type><Code>" + Http.xmlEscape(error.code()) + "</Code><Message>"
                + Http.xmlEscape(error.getMessage()) + "</Message></Error><RequestId>" + request.requestId() + "</RequestId></ErrorResponse>";
        request.exchange().getResponseHeaders().set("x-amzn-RequestId", request.requestId());
        Http.send(request.exchange(), error.status(), "text/xml", xml);
    }

    private void save() {
        context.store().writeJson(file, zones);
    }
}
