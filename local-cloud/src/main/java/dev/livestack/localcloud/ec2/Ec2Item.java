package dev.livestack.localcloud.ec2;

import java.util.List;
import java.util.Map;

/**
 * One EC2 resource as DescribeX answers it: its XML members (lower-camel names, as EC2's wire format has them) and
 * the values each filter name matches against ({@code vpc-id}, {@code tag:Name}, …).
 */
record Ec2Item(String id, Map<String, Object> xml, Map<String, List<String>> filterValues) {
}
