/*
 * Channel Access load generator for IOC Studio's server, written against Debian's libca (the same client library
 * caget, pyepics and CSS-era tools use). One mode per run; it prints one JSON object on stdout. The bench runner
 * (run.ts) starts it against a server in another process.
 *
 *   ca-load connect PREFIX N               create PREFIX0..PREFIX<N-1>; time until every channel is connected
 *   ca-load get     PV SECONDS WINDOW      pipelined DBR_DOUBLE gets, at most WINDOW in flight
 *   ca-load put     PV SECONDS             ca_array_put of DBR_DOUBLE (no reply), ended by one get on the same
 *                                          circuit: the server answers it only after every put before it
 *   ca-load putcb   PV SECONDS WINDOW      pipelined ca_array_put_callback (WRITE_NOTIFY)
 *   ca-load latency PV COUNT               one get at a time: p50/p99 round trip
 *   ca-load monitor PREFIX N SUBS SECONDS  N channels x SUBS subscriptions; prints {"event":"ready"} once every
 *                                          initial update is in, then counts updates for SECONDS after a line
 *                                          on stdin
 *   ca-load hold    PREFIX N               connect N channels, print {"event":"ready"}, exit when stdin closes
 *
 * Callbacks run preemptively on libca's receive thread; the main thread issues requests in batches (one
 * ca_flush_io per batch) and sleeps on a condition variable when the window is full, so it does not steal
 * the CPU the server needs.
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "libca-api.h"

#define BATCH 500

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void die(const char *what, int status) {
    fprintf(stderr, "ca-load: %s: %s\n", what, status ? ca_message(status) : "failed");
    exit(2);
}

/* Completions counted by callbacks; the main thread can sleep until the count reaches a target. */
typedef struct {
    atomic_long done;
    atomic_long failed;
    atomic_long wakeAt;
    pthread_mutex_t lock;
    pthread_cond_t cond;
} Counter;

static Counter counter = {0, 0, LONG_MAX, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static void count(int ok) {
    if (!ok) atomic_fetch_add(&counter.failed, 1);
    long n = atomic_fetch_add(&counter.done, 1) + 1;
    if (n >= atomic_load(&counter.wakeAt)) {
        pthread_mutex_lock(&counter.lock);
        pthread_cond_signal(&counter.cond);
        pthread_mutex_unlock(&counter.lock);
    }
}

/* Sleeps until `target` completions; returns 0 if `seconds` pass first. */
static int waitFor(long target, double seconds) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += (time_t)seconds;
    deadline.tv_nsec += (long)((seconds - (long)seconds) * 1e9);
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&counter.lock);
    atomic_store(&counter.wakeAt, target);
    int ok = 1;
    while (atomic_load(&counter.done) < target) {
        if (pthread_cond_timedwait(&counter.cond, &counter.lock, &deadline) != 0) {
            ok = atomic_load(&counter.done) >= target;
            break;
        }
    }
    atomic_store(&counter.wakeAt, LONG_MAX);
    pthread_mutex_unlock(&counter.lock);
    return ok;
}

static void onConnection(struct connection_handler_args args) {
    if (args.op == CA_OP_CONN_UP) count(1);
}

/* A put callback carries no data, only the WRITE_NOTIFY status. */
static void onPutDone(struct event_handler_args args) {
    count(args.status == ECA_NORMAL);
}

static volatile double lastValue;

static void onValue(struct event_handler_args args) {
    int ok = args.status == ECA_NORMAL && args.dbr != NULL;
    if (ok) lastValue = *(const double *)args.dbr;
    count(ok);
}

static chid *connectAll(const char *prefix, long n, int numbered, double *seconds) {
    chid *channels = calloc((size_t)n, sizeof(chid));
    char name[256];
    long before = atomic_load(&counter.done);
    double start = now();
    for (long i = 0; i < n; i++) {
        if (numbered) snprintf(name, sizeof name, "%s%ld", prefix, i);
        else snprintf(name, sizeof name, "%s", prefix);
        int status = ca_create_channel(name, onConnection, NULL, 0, &channels[i]);
        if (status != ECA_NORMAL) die("ca_create_channel", status);
    }
    ca_flush_io();
    if (!waitFor(before + n, 60.0)) {
        fprintf(stderr, "ca-load: only %ld of %ld channels connected\n", atomic_load(&counter.done) - before, n);
        exit(3);
    }
    *seconds = now() - start;
    return channels;
}

/* Pipelined requests for `seconds`: issue batches while fewer than `window` are in flight. */
static long pipeline(chid channel, int put, double seconds, long window, double *elapsed) {
    long base = atomic_load(&counter.done);
    long issued = 0;
    double value = 0;
    double start = now();
    double end = start + seconds;
    while (now() < end) {
        if (issued + BATCH - window > 0 && !waitFor(base + issued + BATCH - window, 30.0)) die("replies", 0);
        for (int i = 0; i < BATCH; i++, issued++) {
            value += 1;
            int status = put ? ca_array_put_callback(DBR_DOUBLE, 1, channel, &value, onPutDone, NULL)
                             : ca_array_get_callback(DBR_DOUBLE, 1, channel, onValue, NULL);
            if (status != ECA_NORMAL) die(put ? "ca_array_put_callback" : "ca_array_get_callback", status);
        }
        ca_flush_io();
    }
    if (!waitFor(base + issued, 60.0)) die("final replies", 0);
    *elapsed = now() - start;
    return issued;
}

static void modeConnect(const char *prefix, long n) {
    double seconds;
    connectAll(prefix, n, 1, &seconds);
    printf("{\"mode\":\"connect\",\"channels\":%ld,\"seconds\":%.6f,\"perSecond\":%.1f}\n", n, seconds,
           n / seconds);
}

static void modeGetOrPutCallback(const char *mode, const char *pv, double seconds, long window) {
    double connectSeconds, elapsed;
    chid *channel = connectAll(pv, 1, 0, &connectSeconds);
    long failedBefore = atomic_load(&counter.failed);
    long ops = pipeline(channel[0], strcmp(mode, "putcb") == 0, seconds, window, &elapsed);
    /* lastValue: what the last get returned (the runner knows what the PV holds). */
    printf("{\"mode\":\"%s\",\"ops\":%ld,\"failed\":%ld,\"lastValue\":%g,\"seconds\":%.6f,\"perSecond\":%.1f}\n",
           mode, ops, atomic_load(&counter.failed) - failedBefore, lastValue, elapsed, ops / elapsed);
}

static void modePut(const char *pv, double seconds) {
    double connectSeconds;
    chid *channel = connectAll(pv, 1, 0, &connectSeconds);
    long ops = 0;
    double value = 0;
    double start = now();
    double end = start + seconds;
    while (now() < end) {
        for (int i = 0; i < BATCH; i++, ops++) {
            value += 1;
            int status = ca_array_put(DBR_DOUBLE, 1, channel[0], &value);
            if (status != ECA_NORMAL) die("ca_array_put", status);
        }
        ca_flush_io();
    }
    long base = atomic_load(&counter.done);
    int status = ca_array_get_callback(DBR_DOUBLE, 1, channel[0], onValue, NULL);
    if (status != ECA_NORMAL) die("ca_array_get_callback", status);
    ca_flush_io();
    if (!waitFor(base + 1, 60.0)) die("final get", 0);
    double elapsed = now() - start;
    /* Every put landed, in order, if the read-back is the last value written. */
    printf("{\"mode\":\"put\",\"ops\":%ld,\"lastWritten\":%.0f,\"readBack\":%.0f,\"seconds\":%.6f,"
           "\"perSecond\":%.1f}\n",
           ops, value, lastValue, elapsed, ops / elapsed);
}

static int compareDoubles(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void modeLatency(const char *pv, long n) {
    double connectSeconds;
    chid *channel = connectAll(pv, 1, 0, &connectSeconds);
    double *micros = malloc(sizeof(double) * (size_t)n);
    double total = 0;
    for (long i = 0; i < n; i++) {
        long base = atomic_load(&counter.done);
        double start = now();
        int status = ca_array_get_callback(DBR_DOUBLE, 1, channel[0], onValue, NULL);
        if (status != ECA_NORMAL) die("ca_array_get_callback", status);
        ca_flush_io();
        if (!waitFor(base + 1, 10.0)) die("reply", 0);
        micros[i] = (now() - start) * 1e6;
        total += micros[i];
    }
    qsort(micros, (size_t)n, sizeof(double), compareDoubles);
    printf("{\"mode\":\"latency\",\"ops\":%ld,\"p50us\":%.1f,\"p99us\":%.1f,\"meanUs\":%.1f,\"maxUs\":%.1f}\n",
           n, micros[n / 2], micros[(n * 99) / 100], total / n, micros[n - 1]);
}

static void waitForLine(void) {
    char line[64];
    if (!fgets(line, sizeof line, stdin)) return;
}

static void modeMonitor(const char *prefix, long n, long subs, double seconds) {
    double connectSeconds;
    chid *channels = connectAll(prefix, n, 1, &connectSeconds);
    long base = atomic_load(&counter.done);
    for (long i = 0; i < n; i++) {
        for (long s = 0; s < subs; s++) {
            evid subscription;
            int status =
                ca_create_subscription(DBR_DOUBLE, 1, channels[i], DBE_VALUE, onValue, NULL, &subscription);
            if (status != ECA_NORMAL) die("ca_create_subscription", status);
        }
        if (i % BATCH == BATCH - 1) ca_flush_io();
    }
    ca_flush_io();
    if (!waitFor(base + n * subs, 60.0)) die("initial updates", 0);
    printf("{\"event\":\"ready\",\"connectSeconds\":%.6f}\n", connectSeconds);
    fflush(stdout);
    waitForLine();
    long first = atomic_load(&counter.done);
    double start = now();
    usleep((useconds_t)(seconds * 1e6));
    long last = atomic_load(&counter.done);
    double elapsed = now() - start;
    printf("{\"mode\":\"monitor\",\"channels\":%ld,\"subscriptions\":%ld,\"updates\":%ld,\"failed\":%ld,"
           "\"seconds\":%.6f,\"perSecond\":%.1f}\n",
           n, n * subs, last - first, atomic_load(&counter.failed), elapsed, (last - first) / elapsed);
}

static void modeHold(const char *prefix, long n) {
    double seconds;
    connectAll(prefix, n, 1, &seconds);
    printf("{\"event\":\"ready\",\"channels\":%ld,\"connectSeconds\":%.6f}\n", n, seconds);
    fflush(stdout);
    while (fgetc(stdin) != EOF) {
    }
    printf("{\"mode\":\"hold\",\"channels\":%ld}\n", n);
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: ca-load connect|get|put|putcb|latency|monitor|hold ARGS (see ca-load.c)\n");
        return 1;
    }
    int status = ca_context_create(ca_enable_preemptive_callback);
    if (status != ECA_NORMAL) die("ca_context_create", status);
    const char *mode = argv[1];
    if (!strcmp(mode, "connect") && argc == 4) modeConnect(argv[2], atol(argv[3]));
    else if ((!strcmp(mode, "get") || !strcmp(mode, "putcb")) && argc == 5)
        modeGetOrPutCallback(mode, argv[2], atof(argv[3]), atol(argv[4]));
    else if (!strcmp(mode, "put") && argc == 4) modePut(argv[2], atof(argv[3]));
    else if (!strcmp(mode, "latency") && argc == 4) modeLatency(argv[2], atol(argv[3]));
    else if (!strcmp(mode, "monitor") && argc == 6) modeMonitor(argv[2], atol(argv[3]), atol(argv[4]), atof(argv[5]));
    else if (!strcmp(mode, "hold") && argc == 4) modeHold(argv[2], atol(argv[3]));
    else {
        fprintf(stderr, "ca-load: bad arguments for mode %s\n", mode);
        return 1;
    }
    fflush(stdout);
    /* Skip libca's orderly teardown of many channels: the kernel closes the circuit. */
    _exit(0);
}
