/*
 * The kernel's floor for a notify fan-out on this machine, with no pool at all: N loopback TCP
 * connections, W writer threads writing one 700-byte line to each connection's server end (as a
 * pool's event loops do), R reader threads waiting in epoll on the client ends and reading (as the
 * load generator does). Prints, per round, when the writers were done and when the last line was
 * read, counted from the first write: the fan-out spread no pool can beat on this machine.
 *
 *   gcc -O2 -pthread -o /tmp/fanout-floor benchmarks/fanout-floor.c
 *   ulimit -n 20000; /tmp/fanout-floor 9000 2 2      # N W R; needs 2N+ open files
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int n, writers, readers;
static int *server_ends, *client_ends;
static int epolls[64];
static char line[700];
static atomic_long lines_read;
static atomic_long last_read;

static long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000L + t.tv_nsec;
}

static void *write_all(void *arg) {
    long w = (long) arg;
    for (int i = (int) w; i < n; i += writers) {
        if (write(server_ends[i], line, sizeof line) != (ssize_t) sizeof line) {
            perror("write");
            exit(1);
        }
    }
    return NULL;
}

static void *read_all(void *arg) {
    long r = (long) arg;
    struct epoll_event events[256];
    char buf[4096];
    while (atomic_load(&lines_read) < n) {
        int k = epoll_wait(epolls[r], events, 256, 100);
        for (int e = 0; e < k; e++) {
            if (read(events[e].data.fd, buf, sizeof buf) > 0) {
                long t = now_ns();
                long seen = atomic_load(&last_read);
                while (t > seen && !atomic_compare_exchange_weak(&last_read, &seen, t)) {
                }
                atomic_fetch_add(&lines_read, 1);
            }
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: %s CONNECTIONS WRITERS READERS\n", argv[0]);
        return 2;
    }
    n = atoi(argv[1]);
    writers = atoi(argv[2]);
    readers = atoi(argv[3]);
    if (n < 1 || writers < 1 || writers > 64 || readers < 1 || readers > 64) {
        fprintf(stderr, "connections >= 1, 1..64 writers and readers\n");
        return 2;
    }
    memset(line, 'x', sizeof line);
    line[sizeof line - 1] = '\n';
    server_ends = calloc(n, sizeof(int));
    client_ends = calloc(n, sizeof(int));
    int one = 1;
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in at = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
    socklen_t len = sizeof at;
    if (bind(listener, (struct sockaddr *) &at, sizeof at) || listen(listener, 4096)
            || getsockname(listener, (struct sockaddr *) &at, &len)) {
        perror("listen");
        return 1;
    }
    for (int i = 0; i < n; i++) {
        /* Each client from its own 127.10.x.y, as the load generator connects. */
        struct sockaddr_in from = {.sin_family = AF_INET,
                                   .sin_addr.s_addr = htonl(0x7f0a0000 | ((i / 250) << 8) | (i % 250 + 1))};
        client_ends[i] = socket(AF_INET, SOCK_STREAM, 0);
        if (bind(client_ends[i], (struct sockaddr *) &from, sizeof from)
                || connect(client_ends[i], (struct sockaddr *) &at, sizeof at)) {
            perror("connect");
            return 1;
        }
        server_ends[i] = accept(listener, NULL, NULL);
        if (server_ends[i] < 0) {
            perror("accept");
            return 1;
        }
        setsockopt(server_ends[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        setsockopt(client_ends[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    for (int r = 0; r < readers; r++) {
        epolls[r] = epoll_create1(0);
    }
    for (int i = 0; i < n; i++) {
        struct epoll_event e = {.events = EPOLLIN, .data.fd = client_ends[i]};
        epoll_ctl(epolls[i % readers], EPOLL_CTL_ADD, client_ends[i], &e);
    }
    for (int round = 1; round <= 5; round++) {
        atomic_store(&lines_read, 0);
        atomic_store(&last_read, 0);
        pthread_t rt[64], wt[64];
        for (long r = 0; r < readers; r++) {
            pthread_create(&rt[r], NULL, read_all, (void *) r);
        }
        usleep(200000); /* the readers are asleep in epoll_wait, as between blocks */
        long first = now_ns();
        for (long w = 0; w < writers; w++) {
            pthread_create(&wt[w], NULL, write_all, (void *) w);
        }
        for (int w = 0; w < writers; w++) {
            pthread_join(wt[w], NULL);
        }
        long written = now_ns();
        for (int r = 0; r < readers; r++) {
            pthread_join(rt[r], NULL);
        }
        printf("round %d: %d connections, %d writers, %d readers: writes done after %.1f ms, last line read after %.1f ms\n",
               round, n, writers, readers, (written - first) / 1e6, (atomic_load(&last_read) - first) / 1e6);
    }
    return 0;
}
