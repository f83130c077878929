/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * The client socket (CLI, libringtrace-ctl): one thread accepts, and each
 * connection is served by its own thread, so that a slow or silent client
 * never holds up the others. Requests on a connection are served in order;
 * every handler runs under session_list_lock().
 */

/* Listens on path (mode and owner per access.h) and starts serving. */
int client_listener_start(const char *path);
/* Stops accepting, ends every connection, removes the socket file. */
void client_listener_stop(void);
