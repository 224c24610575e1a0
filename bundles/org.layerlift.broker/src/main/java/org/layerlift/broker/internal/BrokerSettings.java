package org.layerlift.broker.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Validated broker configuration. Every value comes from outside (a .cfg file, Config Admin), so each is checked
 * and every problem is reported at once, in one message.
 */
record BrokerSettings(String host, int port, int maxPacketSize, String username, String password,
        String gatewayUsername, String gatewayPassword, boolean filePersistence, Path dataDir) {

    static final int MQTT5_MAX_PACKET_SIZE = 268_435_460;

    /** True when clients must present {@link #username()} and {@link #password()}. */
    boolean authenticationRequired() {
        return !username.isEmpty();
    }

    /** The logins this broker accepts: the client login (or anonymous clients) and the gateway's privileged one. */
    Credentials credentials() {
        return new Credentials(username, password, gatewayUsername, gatewayPassword);
    }

    /** The gateway password the runtime ships with (configuration.json, BrokerConfig): public, loopback only. */
    static final String SHIPPED_GATEWAY_PASSWORD = "layerlift-local";

    static BrokerSettings of(String host, int port, int maxPacketSize, String username, String password,
            String gatewayUsername, String gatewayPassword, String persistence, String dataDir,
            Path defaultDataDir) {
        List<String> problems = new ArrayList<>();
        String h = host == null ? "" : host.trim();
        if (h.isEmpty()) {
            problems.add("host must not be empty (use 127.0.0.1 or 0.0.0.0)");
        } else if (!h.matches("[A-Za-z0-9.:\\-\\[\\]%]+")) {
            problems.add("host '" + host + "' is not an IP address or host name");
        }
        if (port < 1 || port > 65535) {
            problems.add("port=" + port + " (must be 1..65535)");
        }
        if (maxPacketSize < 1024 || maxPacketSize > MQTT5_MAX_PACKET_SIZE) {
            problems.add("max.packet.size=" + maxPacketSize + " (must be 1024.." + MQTT5_MAX_PACKET_SIZE + ")");
        }
        String user = username == null ? "" : username;
        String pass = password == null ? "" : password;
        if (user.isEmpty() && !pass.isEmpty()) {
            problems.add("password is set but username is empty");
        }
        if (!user.isEmpty() && pass.isEmpty()) {
            problems.add("username '" + user + "' is set but password is empty");
        }
        String gwUser = gatewayUsername == null ? "" : gatewayUsername;
        String gwPass = gatewayPassword == null ? "" : gatewayPassword;
        if (gwUser.isEmpty() && !gwPass.isEmpty()) {
            problems.add("gateway.password is set but gateway.username is empty");
        }
        if (!gwUser.isEmpty() && gwUser.equals(user)) {
            problems.add("gateway.username must differ from username (the client login)");
        }
        if (!h.isEmpty() && !isLoopback(h)) {
            // a network listener with anonymous clients or without a gateway password is an open broker
            List<String> missing = new ArrayList<>();
            if (user.isEmpty() || pass.isEmpty()) {
                missing.add("username and password (the client login)");
            }
            if (gwUser.isEmpty() || gwPass.isEmpty() || gwPass.equals(SHIPPED_GATEWAY_PASSWORD)) {
                // the shipped password is public: fine on loopback only
                missing.add("a gateway.password of your own (the gateway's login)");
            }
            if (!missing.isEmpty()) {
                problems.add("host '" + h + "' is not a loopback address, so the broker would listen on the network:"
                        + " set " + String.join(" and ", missing) + " first, or use host 127.0.0.1");
            }
        }
        String mode = persistence == null ? "" : persistence.trim().toLowerCase(Locale.ROOT);
        if (!mode.equals("in-memory") && !mode.equals("file")) {
            problems.add("persistence '" + persistence + "' is neither 'in-memory' nor 'file'");
        }
        Path dir = defaultDataDir;
        if (dataDir != null && !dataDir.isBlank()) {
            try {
                dir = Path.of(dataDir.trim());
            } catch (RuntimeException e) {
                problems.add("data.dir '" + dataDir + "' is not a path: " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid broker configuration: " + String.join("; ", problems));
        }
        return new BrokerSettings(h, port, maxPacketSize, user, pass, gwUser, gwPass, mode.equals("file"), dir);
    }

    /**
     * True when every address the host stands for is a loopback address. A name that does not resolve counts as
     * not loopback: better refused here than bound to whatever it means later.
     */
    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            InetAddress[] addresses = InetAddress.getAllByName(h);
            for (InetAddress a : addresses) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return addresses.length > 0;
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** HiveMQ's config.xml for these settings (credentials are checked by our extension, not by HiveMQ). */
    String hivemqConfigXml() {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <mqtt>
                        <packets>
                            <max-packet-size>%d</max-packet-size>
                        </packets>
                    </mqtt>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, xmlEscape(host), maxPacketSize, filePersistence ? "file" : "in-memory");
    }

    /**
     * HiveMQ's conf/logback.xml: everything to {@code <data dir>/hivemq.log}, and to the console what the gateway's
     * console shows ({@code -Dlayerlift.console.level}, OFF in {@code ./gateway --shell}). Without this file HiveMQ
     * warns at every start that it has none.
     */
    String hivemqLogbackXml() {
        return """
                <configuration scan="false">
                    <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                        <filter class="ch.qos.logback.classic.filter.ThresholdFilter">
                            <level>${layerlift.console.level:-INFO}</level>
                        </filter>
                        <encoder><pattern>%%-30(%%d %%level)- %%msg%%n%%ex</pattern></encoder>
                    </appender>
                    <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <append>true</append>
                        <encoder><pattern>%%d %%-5level [%%thread] %%logger - %%msg%%n%%ex</pattern></encoder>
                    </appender>
                    <root level="INFO">
                        <appender-ref ref="CONSOLE"/>
                        <appender-ref ref="FILE"/>
                    </root>
                    <logger name="jetbrains.exodus" level="WARN"/>
                    <logger name="org.eclipse.jetty" level="ERROR"/>
                    <logger name="com.google.common.util.concurrent.Futures.CombinedFuture" level="OFF"/>
                    <logger name="oshi" level="ERROR"/>
                </configuration>
                """.formatted(xmlEscape(dataDir.toAbsolutePath().resolve("hivemq.log").toString()));
    }

    private static String xmlEscape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The listener in key=value form, for messages that say what is still in force. */
    String listener() {
        return "host=" + host + ", port=" + port;
    }

    @Override
    public String toString() {
        // never print the password
        return "mqtt://" + host + ":" + port + " (max packet " + maxPacketSize + " B, "
                + (filePersistence ? "file" : "in-memory") + " persistence, "
                + (authenticationRequired() ? "client login required" : "anonymous clients") + ", "
                + (gatewayPassword.isEmpty() ? "no gateway login" : "gateway login '" + gatewayUsername + "'")
                + ", data " + dataDir + ")";
    }
}
