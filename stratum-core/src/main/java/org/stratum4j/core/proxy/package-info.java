/**
 * Building blocks of a mining proxy: {@link org.stratum4j.core.proxy.ExtranonceSplit}, how one
 * upstream session's extranonce space is shared among the miners behind the proxy, and their
 * jobs and shares translated both ways. Pure: the proxy's sessions, sockets and failover live in
 * the examples ({@code org.stratum4j.examples.proxy}).
 */
package org.stratum4j.core.proxy;
