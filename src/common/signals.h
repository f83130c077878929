/* SPDX-License-Identifier: MIT */
#pragma once

/*
 * Signals of a daemon's event loop: SIGPIPE blocked for good (a dead peer is
 * an EPIPE), SIGTERM and SIGINT blocked and taken through the returned
 * signalfd (non-blocking, close-on-exec). Call before starting any thread
 * so every thread inherits the mask. Returns the fd or a negative errno.
 */
int rt_signalfd_terminate(void);
