package io.stemcache.node.database;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JDBC URL as it may be logged: pgjdbc takes {@code password} and {@code sslpassword} as URL parameters (and an
 * operator may well have put one there), so every parameter whose name holds "password" keeps its name and loses
 * its value, as does a {@code user:password@} part before the host.
 */
public final class JdbcUrl {

    static final String HIDDEN = "***";

    private static final Pattern USER_INFO = Pattern.compile("^(jdbc:[a-z0-9]+://)([^/@?]*)@");

    private JdbcUrl() {}

    /** {@code url} with every password hidden; null stays null. */
    public static String withoutSecrets(String url) {
        if (url == null) {
            return null;
        }
        String safe = url;
        Matcher userInfo = USER_INFO.matcher(safe);
        if (userInfo.find() && userInfo.group(2).contains(":")) {
            String user = userInfo.group(2).substring(0, userInfo.group(2).indexOf(':'));
            safe = userInfo.group(1) + user + ":" + HIDDEN + "@" + safe.substring(userInfo.end());
        }
        int query = safe.indexOf('?');
        if (query < 0) {
            return safe;
        }
        StringBuilder out = new StringBuilder(safe.substring(0, query + 1));
        String[] parameters = safe.substring(query + 1).split("&", -1);
        for (int i = 0; i < parameters.length; i++) {
            String parameter = parameters[i];
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            out.append(i == 0 ? "" : "&");
            out.append(name.toLowerCase(Locale.ROOT).contains("password") ? name + "=" + HIDDEN : parameter);
        }
        return out.toString();
    }
}
