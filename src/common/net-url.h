/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Network trace output URLs, lttng's grammar:
 *   --set-url   net[4|6]://HOST[:CTRLPORT[:DATAPORT]][/TRACEDIR]
 *   --ctrl-url / --data-url   tcp[4|6]://HOST[:PORT][/TRACEDIR] or net[4|6]://…
 * HOST is a name, an IPv4 address or a bracketed IPv6 address; ports
 * default to 5342 (control) and 5343 (data). Parsing is pure (no name
 * resolution); rt_net_url_resolve() turns names into numeric addresses.
 */

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define RT_RELAYD_CONTROL_PORT 5342
#define RT_RELAYD_DATA_PORT    5343
#define RT_RELAYD_LIVE_PORT    5344
#define RT_NET_HOST_MAX        256

struct rt_net_endpoint {
	int family; /* AF_INET or AF_INET6 */
	char host[RT_NET_HOST_MAX];
	uint16_t port;
};

struct rt_net_url {
	struct rt_net_endpoint ctrl, data;
	char path[PATH_MAX]; /* trace directory on the relay, "" for the default */
};

/* True when url starts with a network scheme (net, net4, net6, tcp, tcp4, tcp6). */
bool rt_net_url_is_network(const char *url);

/*
 * --set-url form. Returns 0, or -EINVAL with a message in err: lttng's
 * "No address or hostname detected.", "Invalid port number N", "URI parse
 * unknown protocol URL"; a tcp:// URL (valid only for --ctrl-url and
 * --data-url) gives -EPROTONOSUPPORT and err "".
 */
int rt_net_url_parse(const char *url, struct rt_net_url *ret, char *err, size_t err_size);

/*
 * --ctrl-url and --data-url: each a tcp or net URL of one endpoint; the
 * path is the control URL's. Errors as rt_net_url_parse().
 */
int rt_net_url_parse_pair(const char *ctrl_url, const char *data_url, struct rt_net_url *ret,
                          char *err, size_t err_size);

/* Replaces host names by numeric addresses: 0 or -EHOSTUNREACH (message in err). */
int rt_net_url_resolve(struct rt_net_url *url, char *err, size_t err_size);

/* The sockaddr of a resolved endpoint. */
int rt_net_endpoint_sockaddr(const struct rt_net_endpoint *ep, struct sockaddr_storage *ret_addr,
                             socklen_t *ret_len);

/*
 * One endpoint as lttng writes it in a session file's <control_uri> and
 * <data_uri>: "tcp4://HOST:PORT/PATH", "tcp6://[HOST]:PORT/PATH"; parsed back
 * by rt_net_url_parse_pair().
 */
int rt_net_endpoint_format(const struct rt_net_endpoint *ep, const char *path, char *buf,
                           size_t size);

/* Whether the control and data endpoints are on different hosts (addresses). */
bool rt_net_url_split(const struct rt_net_url *url);

/*
 * lttng's display form: "tcp4://127.0.0.1:5342/PATH [data: 5343]"; with the
 * data endpoint on another host "... [data: HOST:5343]".
 */
int rt_net_url_format(const struct rt_net_url *url, char *buf, size_t size);

/* The canonical --set-url form, parsed back by rt_net_url_parse: net[6]://HOST:CTRL:DATA/PATH. */
int rt_net_url_canonical(const struct rt_net_url *url, char *buf, size_t size);
