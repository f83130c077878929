/* SPDX-License-Identifier: MIT */
#include "net-url.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct scheme {
	const char *prefix;
	int family; /* AF_UNSPEC: from the host */
	bool tcp;   /* a single endpoint (tcp://) rather than a control+data pair (net://) */
};

static const struct scheme schemes[] = {
    {"net://", AF_UNSPEC, false}, {"net4://", AF_INET, false}, {"net6://", AF_INET6, false},
    {"tcp://", AF_UNSPEC, true},  {"tcp4://", AF_INET, true},  {"tcp6://", AF_INET6, true},
};

static const struct scheme *scheme_of(const char *url)
{
	for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
		if (strncmp(url, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
			return &schemes[i];
	return NULL;
}

bool rt_net_url_is_network(const char *url)
{
	return scheme_of(url) != NULL;
}

/* As lttng: the digits up to the next ':' or '/', atoi-style; 0 and > 65535 refused. */
static int parse_port(const char **p, uint16_t *ret_port, char *err, size_t err_size)
{
	char digits[16] = "";
	size_t n = strcspn(*p, ":/");
	long v;

	memcpy(digits, *p, n < sizeof(digits) ? n : sizeof(digits) - 1);
	v = atol(digits);
	if (v <= 0 || v > 65535 || n >= sizeof(digits)) {
		snprintf(err, err_size, "Invalid port number %ld", n >= sizeof(digits) ? 0 : v);
		return -EINVAL;
	}
	*ret_port = (uint16_t)v;
	*p += n;
	return 0;
}

/*
 * HOST[:PORT[:PORT2]][/PATH] after the scheme; max_ports is 1 (tcp) or 2
 * (net). Unspecified ports keep the values already in ports[].
 */
static int parse_body(const char *p, const struct scheme *sc, unsigned max_ports,
                      struct rt_net_endpoint *ep, uint16_t ports[2], char *path, size_t path_size,
                      char *err, size_t err_size)
{
	size_t n;
	int r;

	if (*p == '[') {
		const char *end = strchr(p, ']');

		if (!end || end == p + 1) {
			snprintf(err, err_size, "No address or hostname detected.");
			return -EINVAL;
		}
		n = (size_t)(end - p - 1);
		if (n >= RT_NET_HOST_MAX)
			goto bad_host;
		memcpy(ep->host, p + 1, n);
		ep->host[n] = '\0';
		ep->family = AF_INET6;
		p = end + 1;
	} else {
		n = strcspn(p, ":/");
		if (n == 0) {
			snprintf(err, err_size, "No address or hostname detected.");
			return -EINVAL;
		}
		if (n >= RT_NET_HOST_MAX)
			goto bad_host;
		memcpy(ep->host, p, n);
		ep->host[n] = '\0';
		ep->family = sc->family == AF_UNSPEC ? AF_INET : sc->family;
		p += n;
	}
	if (sc->family == AF_INET6)
		ep->family = AF_INET6;
	for (unsigned i = 0; i < max_ports && *p == ':'; i++) {
		p++;
		r = parse_port(&p, &ports[i], err, err_size);
		if (r < 0)
			return r;
	}
	if (*p && *p != '/') {
		snprintf(err, err_size, "Unrecognized URL format.");
		return -EINVAL;
	}
	if (*p == '/')
		p++;
	if (strlen(p) >= path_size) {
		snprintf(err, err_size, "URL path too long");
		return -EINVAL;
	}
	strcpy(path, p);
	return 0;
bad_host:
	snprintf(err, err_size, "Host name too long");
	return -EINVAL;
}

static int unknown_scheme(const char *url, char *err, size_t err_size)
{
	snprintf(err, err_size, "URI parse unknown protocol %s", url);
	return -EINVAL;
}

int rt_net_url_parse(const char *url, struct rt_net_url *ret, char *err, size_t err_size)
{
	const struct scheme *sc = scheme_of(url);
	uint16_t ports[2] = {RT_RELAYD_CONTROL_PORT, RT_RELAYD_DATA_PORT};
	int r;

	err[0] = '\0';
	if (!sc)
		return unknown_scheme(url, err, err_size);
	if (sc->tcp)
		return -EPROTONOSUPPORT;
	memset(ret, 0, sizeof(*ret));
	r = parse_body(url + strlen(sc->prefix), sc, 2, &ret->ctrl, ports, ret->path,
	               sizeof(ret->path), err, err_size);
	if (r < 0)
		return r;
	ret->data = ret->ctrl;
	ret->ctrl.port = ports[0];
	ret->data.port = ports[1];
	return 0;
}

static int parse_endpoint(const char *url, uint16_t default_port, struct rt_net_endpoint *ret,
                          char *path, size_t path_size, char *err, size_t err_size)
{
	const struct scheme *sc = scheme_of(url);
	uint16_t ports[2] = {default_port, 0};
	int r;

	if (!sc)
		return unknown_scheme(url, err, err_size);
	r = parse_body(url + strlen(sc->prefix), sc, 1, ret, ports, path, path_size, err, err_size);
	ret->port = ports[0];
	return r;
}

int rt_net_url_parse_pair(const char *ctrl_url, const char *data_url, struct rt_net_url *ret,
                          char *err, size_t err_size)
{
	char data_path[PATH_MAX];
	int r;

	err[0] = '\0';
	memset(ret, 0, sizeof(*ret));
	r = parse_endpoint(ctrl_url, RT_RELAYD_CONTROL_PORT, &ret->ctrl, ret->path,
	                   sizeof(ret->path), err, err_size);
	if (r < 0)
		return r;
	return parse_endpoint(data_url, RT_RELAYD_DATA_PORT, &ret->data, data_path,
	                      sizeof(data_path), err, err_size);
}

static int resolve_endpoint(struct rt_net_endpoint *ep, char *err, size_t err_size)
{
	struct addrinfo hints = {.ai_family = ep->family, .ai_socktype = SOCK_STREAM};
	struct addrinfo *res = NULL;
	char numeric[INET6_ADDRSTRLEN];
	int r = getaddrinfo(ep->host, NULL, &hints, &res);

	if (r != 0 || !res) {
		snprintf(err, err_size, "Unable to resolve host %s: %s", ep->host,
		         r ? gai_strerror(r) : "no address");
		return -EHOSTUNREACH;
	}
	if (ep->family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, numeric,
		          sizeof(numeric));
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, numeric,
		          sizeof(numeric));
	freeaddrinfo(res);
	snprintf(ep->host, sizeof(ep->host), "%s", numeric);
	return 0;
}

int rt_net_url_resolve(struct rt_net_url *url, char *err, size_t err_size)
{
	int r = resolve_endpoint(&url->ctrl, err, err_size);

	return r < 0 ? r : resolve_endpoint(&url->data, err, err_size);
}

int rt_net_endpoint_sockaddr(const struct rt_net_endpoint *ep, struct sockaddr_storage *ret_addr,
                             socklen_t *ret_len)
{
	memset(ret_addr, 0, sizeof(*ret_addr));
	if (ep->family == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ret_addr;

		in->sin_family = AF_INET;
		in->sin_port = htons(ep->port);
		if (inet_pton(AF_INET, ep->host, &in->sin_addr) != 1)
			return -EINVAL;
		*ret_len = sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ret_addr;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(ep->port);
		if (inet_pton(AF_INET6, ep->host, &in6->sin6_addr) != 1)
			return -EINVAL;
		*ret_len = sizeof(*in6);
	}
	return 0;
}

int rt_net_endpoint_format(const struct rt_net_endpoint *ep, const char *path, char *buf,
                           size_t size)
{
	bool v6 = ep->family == AF_INET6;
	int n = snprintf(buf, size, "tcp%s://%s%s%s:%u/%s", v6 ? "6" : "4", v6 ? "[" : "", ep->host,
	                 v6 ? "]" : "", ep->port, path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

bool rt_net_url_split(const struct rt_net_url *url)
{
	return url->ctrl.family != url->data.family || strcmp(url->ctrl.host, url->data.host) != 0;
}

int rt_net_url_format(const struct rt_net_url *url, char *buf, size_t size)
{
	size_t len;
	int n;

	if (rt_net_endpoint_format(&url->ctrl, url->path, buf, size) < 0)
		return -ENAMETOOLONG;
	len = strlen(buf);
	if (rt_net_url_split(url))
		n = snprintf(buf + len, size - len, " [data: %s%s%s:%u]",
		             url->data.family == AF_INET6 ? "[" : "", url->data.host,
		             url->data.family == AF_INET6 ? "]" : "", url->data.port);
	else
		n = snprintf(buf + len, size - len, " [data: %u]", url->data.port);
	return n < 0 || (size_t)n >= size - len ? -ENAMETOOLONG : 0;
}

int rt_net_url_canonical(const struct rt_net_url *url, char *buf, size_t size)
{
	bool v6 = url->ctrl.family == AF_INET6;
	int n = snprintf(buf, size, "net%s://%s%s%s:%u:%u/%s", v6 ? "6" : "", v6 ? "[" : "",
	                 url->ctrl.host, v6 ? "]" : "", url->ctrl.port, url->data.port, url->path);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}
