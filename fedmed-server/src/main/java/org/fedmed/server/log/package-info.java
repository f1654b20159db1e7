/**
 * The processes' one console log: events with a level, a name, a message and, when known, the round and the site,
 * written as the plain lines of old ({@link org.fedmed.server.log.LogFormat#TEXT}) or one JSON object per line
 * ({@link org.fedmed.server.log.LogFormat#JSON}).
 */
package org.fedmed.server.log;
