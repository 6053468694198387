/*
 * The part of the libca (EPICS Channel Access client) API that ca-load.c uses, declared by hand: Debian 12's
 * libca-dev ships only the libca.so link, not cadef.h/db_access.h. These are the public C ABI of libca 4.13
 * (epicsStdCall is empty on Linux); names and values follow the documented API.
 */
#ifndef IOC_STUDIO_LIBCA_API_H
#define IOC_STUDIO_LIBCA_API_H

typedef struct oldChannelNotify *chid;
typedef struct oldSubscription *evid;
typedef long chtype;
typedef unsigned capri;

struct connection_handler_args {
    chid chid;
    long op;
};
typedef void caCh(struct connection_handler_args args);

struct event_handler_args {
    void *usr;
    chid chid;
    long type;
    long count;
    const void *dbr;
    int status;
};
typedef void caEventCallBackFunc(struct event_handler_args args);

enum ca_preemptive_callback_select { ca_disable_preemptive_callback, ca_enable_preemptive_callback };

int ca_context_create(enum ca_preemptive_callback_select select);
void ca_context_destroy(void);
int ca_create_channel(const char *name, caCh *onConnection, void *user, capri priority, chid *channel);
int ca_clear_channel(chid channel);
int ca_array_get_callback(chtype type, unsigned long count, chid channel, caEventCallBackFunc *onReply, void *user);
int ca_array_put(chtype type, unsigned long count, chid channel, const void *value);
int ca_array_put_callback(chtype type, unsigned long count, chid channel, const void *value,
                          caEventCallBackFunc *onReply, void *user);
int ca_create_subscription(chtype type, unsigned long count, chid channel, long mask,
                           caEventCallBackFunc *onUpdate, void *user, evid *subscription);
int ca_pend_event(double seconds);
int ca_flush_io(void);
const char *ca_message(long status);

#define ECA_NORMAL 1
#define CA_OP_CONN_UP 6
#define DBR_DOUBLE 6
#define DBE_VALUE 1

#endif
