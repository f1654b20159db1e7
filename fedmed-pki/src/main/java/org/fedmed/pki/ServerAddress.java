package org.fedmed.pki;

import java.net.InetAddress;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * Where sites reach the federation server: a DNS name or an IP literal, and a TCP port. Parsing never
 * resolves the name, so it works offline and gives the same answer everywhere.
 *
 * @param host a DNS name, an IPv4 literal or an IPv6 literal (without brackets)
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {

    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    private static final Pattern DNS_NAME = Pattern.compile("(?=.{1,253}$)" + LABEL + "(?:\\." + LABEL + ")*\\.?");

    public ServerAddress {
        if (host == null || host.isBlank()) {
            throw new ProvisioningException("server host is empty; expected a DNS name or an IP address");
        }
        if (!IPAddress.isValid(host) && !DNS_NAME.matcher(host).matches()) {
            throw new ProvisioningException("server host '" + host + "' is neither a DNS name nor an IP address");
        }
        if (port < 1 || port > 65535) {
            throw new ProvisioningException("server port " + port + " is out of range; expected 1 to 65535");
        }
    }

    /**
     * Parses {@code HOST:PORT}, where an IPv6 host is written in brackets ({@code [::1]:8443}).
     *
     * @throws ProvisioningException naming the text when it is not of that form
     */
    public static ServerAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ProvisioningException("server address is empty; expected HOST:PORT, e.g. fl.example.org:8443");
        }
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new ProvisioningException("server address '" + text + "' is not of the form [IPV6]:PORT");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new ProvisioningException("server address '" + text
                        + "' is not of the form HOST:PORT (write an IPv6 address as [ADDRESS]:PORT)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ProvisioningException("server address '" + text + "' has port '" + port
                    + "'; expected a number from 1 to 65535", e);
        }
        try {
            return new ServerAddress(host, portNumber);
        } catch (ProvisioningException e) {
            throw new ProvisioningException("server address '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Whether the host is an IP literal rather than a DNS name. */
    public boolean isIpAddress() {
        return IPAddress.isValid(host);
    }

    /** Whether the host names this machine: {@code localhost}, {@code 127.x.x.x} or {@code ::1}. */
    public boolean isLoopback() {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("localhost.") || h.endsWith(".localhost")) {
            return true;
        }
        return isIpAddress() && InetAddress.ofLiteral(host).isLoopbackAddress();
    }

    /** {@code HOST:PORT}, with an IPv6 host in brackets; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
