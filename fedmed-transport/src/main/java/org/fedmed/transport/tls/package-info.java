/** Mutual-TLS credentials for the server and for sites, from PEM files. */
package org.fedmed.transport.tls;
