/* xdnd_drop: drops one file on an X11 window the way a file manager does, as an XDND source
 * (freedesktop.org XDND protocol, version 5), so a test can drop a file on the desktop studio under
 * Xvfb, which has no drag source of its own. Plain Xlib; no toolkit, no pointer grab, no WM needed.
 *   xdnd_drop [--name TITLE | --window ID] [--timeout SECONDS] [--at X,Y] PATH
 * --name finds the first viewable window whose _NET_WM_NAME (or WM_NAME) is TITLE, walking the tree
 * from the root (retrying until the timeout, so it may start before the window exists); --window
 * takes an id (decimal or 0x hex). --at is the drop point in the window (default: its centre).
 * PATH is made absolute (not resolved: it need not exist) and sent as file:///PATH (percent-encoded)
 * in text/uri-list. Each protocol step waits at most --timeout seconds (default 10).
 * Exit codes: 0 the target accepted the drop and finished; 1 a step failed or timed out (the message
 * names it); 2 bad command line. XdndProxy is not followed (the drop fails with a message). */
#define _POSIX_C_SOURCE 200809L
#include <X11/Xatom.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define XDND_VERSION 5

static const char* g_step = "start";  /* named in every error message */
static int g_tolerate_errors = 0;      /* while walking the tree: windows may vanish under us */

static struct {
  Atom aware, proxy, selection, enter, position, status, leave, drop, finished, type_list;
  Atom action_copy, uri_list, targets, net_wm_name, utf8_string, timestamp_prop;
} A;

static void Fail(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "xdnd_drop: %s: ", g_step);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(1);
}

/* A protocol error from the server (e.g. BadWindow when the target closes mid-drop) ends the drop
 * with the step it happened in, instead of Xlib's default abort. */
static int OnXError(Display* dpy, XErrorEvent* e) {
  if (g_tolerate_errors) return 0;
  char text[256];
  XGetErrorText(dpy, e->error_code, text, sizeof text);
  Fail("X error %s (request %d, resource 0x%lx)", text, e->request_code, e->resourceid);
  return 0;
}

static double NowSeconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Takes the next event into *ev, waiting until the monotonic time deadline. Returns 0 on timeout. */
static int NextEvent(Display* dpy, double deadline, XEvent* ev) {
  for (;;) {
    if (XPending(dpy) > 0) {
      XNextEvent(dpy, ev);
      return 1;
    }
    double left = deadline - NowSeconds();
    if (left <= 0) return 0;
    int fd = ConnectionNumber(dpy);
    fd_set fds;
    FD_ZERO(&fds);
    FD_SET(fd, &fds);
    struct timeval tv = {(time_t)left, (suseconds_t)((left - (double)(time_t)left) * 1e6)};
    if (select(fd + 1, &fds, NULL, NULL, &tv) < 0 && errno != EINTR) Fail("select: %s", strerror(errno));
  }
}

/* [SECTION] finding the target */

/* The window's title: _NET_WM_NAME (UTF-8) if set, else WM_NAME. Caller frees with free(). */
static char* WindowTitle(Display* dpy, Window w) {
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char* data = NULL;
  if (XGetWindowProperty(dpy, w, A.net_wm_name, 0, 1024, False, A.utf8_string, &type, &format, &n, &after, &data) ==
          Success &&
      type == A.utf8_string && format == 8 && data) {
    char* s = strndup((const char*)data, n);
    XFree(data);
    return s;
  }
  if (data) XFree(data);
  XTextProperty tp;
  if (XGetWMName(dpy, w, &tp) && tp.value) {
    char* s = strndup((const char*)tp.value, tp.nitems);
    XFree(tp.value);
    return s;
  }
  return NULL;
}

static Window FindByTitle(Display* dpy, Window w, const char* title) {
  XWindowAttributes wa;
  if (XGetWindowAttributes(dpy, w, &wa) && wa.map_state == IsViewable) {
    char* t = WindowTitle(dpy, w);
    int match = t && strcmp(t, title) == 0;
    free(t);
    if (match) return w;
  }
  Window root_ret, parent, *kids = NULL;
  unsigned int n = 0;
  Window found = None;
  if (XQueryTree(dpy, w, &root_ret, &parent, &kids, &n)) {
    /* Topmost first: XQueryTree lists children bottom to top. */
    for (unsigned int i = n; i-- > 0 && found == None;) found = FindByTitle(dpy, kids[i], title);
    if (kids) XFree(kids);
  }
  return found;
}

/* The XdndAware version of w, or 0 when the window does not take drops. */
static long AwareVersion(Display* dpy, Window w) {
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char* data = NULL;
  long v = 0;
  if (XGetWindowProperty(dpy, w, A.aware, 0, 1, False, XA_ATOM, &type, &format, &n, &after, &data) == Success &&
      type == XA_ATOM && format == 32 && n == 1)
    v = (long)((unsigned long*)data)[0];
  if (data) XFree(data);
  return v;
}

static int HasProperty(Display* dpy, Window w, Atom prop) {
  Atom type = None;
  int format = 0;
  unsigned long n = 0, after = 0;
  unsigned char* data = NULL;
  int has = XGetWindowProperty(dpy, w, prop, 0, 1, False, AnyPropertyType, &type, &format, &n, &after, &data) ==
                Success &&
            type != None;
  if (data) XFree(data);
  return has;
}

/* [SECTION] the URI */

/* file:// + the absolute path, every byte outside RFC 3986's unreserved set and '/' percent-encoded,
 * then CRLF, as text/uri-list lines end. Caller frees. */
static char* FileUri(const char* path) {
  char cwd[PATH_MAX] = "";
  if (path[0] != '/' && !getcwd(cwd, sizeof cwd)) Fail("getcwd: %s", strerror(errno));
  size_t len = strlen(cwd) + 1 + strlen(path);
  char* abs = malloc(len + 1);
  char* out = malloc(7 + 3 * len + 3);
  if (!abs || !out) Fail("out of memory");
  snprintf(abs, len + 1, "%s%s%s", cwd, cwd[0] ? "/" : "", path);
  char* o = out + sprintf(out, "file://");
  for (const unsigned char* p = (const unsigned char*)abs; *p; ++p) {
    if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
      *o++ = (char)*p;
    else
      o += sprintf(o, "%%%02X", *p);
  }
  strcpy(o, "\r\n");
  free(abs);
  return out;
}

/* [SECTION] the drop */

static void SendClient(Display* dpy, Window to, Atom type, long l0, long l1, long l2, long l3, long l4) {
  XEvent ev;
  memset(&ev, 0, sizeof ev);
  ev.xclient.type = ClientMessage;
  ev.xclient.display = dpy;
  ev.xclient.window = to;
  ev.xclient.message_type = type;
  ev.xclient.format = 32;
  ev.xclient.data.l[0] = l0;
  ev.xclient.data.l[1] = l1;
  ev.xclient.data.l[2] = l2;
  ev.xclient.data.l[3] = l3;
  ev.xclient.data.l[4] = l4;
  if (!XSendEvent(dpy, to, False, NoEventMask, &ev)) Fail("XSendEvent failed");
  XFlush(dpy);
}

/* A server timestamp: the time of a PropertyNotify caused on our own window (selection ownership
 * and XdndDrop must carry a real time, not CurrentTime, for the target's XConvertSelection). */
static Time ServerTime(Display* dpy, Window own, double timeout) {
  XChangeProperty(dpy, own, A.timestamp_prop, XA_STRING, 8, PropModeAppend, (const unsigned char*)"", 0);
  XFlush(dpy);
  double deadline = NowSeconds() + timeout;
  XEvent ev;
  while (NextEvent(dpy, deadline, &ev)) {
    if (ev.type == PropertyNotify && ev.xproperty.window == own && ev.xproperty.atom == A.timestamp_prop)
      return ev.xproperty.time;
  }
  Fail("no PropertyNotify from the server within %.0f s", timeout);
  return CurrentTime;
}

/* Answers a request for the XdndSelection: the URI list as text/uri-list, the list of targets for
 * TARGETS, a refusal (property None) for anything else. Returns 1 when the URI list was sent. */
static int AnswerSelectionRequest(Display* dpy, const XSelectionRequestEvent* rq, const char* uri_list) {
  XEvent reply;
  memset(&reply, 0, sizeof reply);
  reply.xselection.type = SelectionNotify;
  reply.xselection.display = dpy;
  reply.xselection.requestor = rq->requestor;
  reply.xselection.selection = rq->selection;
  reply.xselection.target = rq->target;
  reply.xselection.time = rq->time;
  /* Obsolete requestors pass property None: the target atom is the property then (ICCCM 2.2). */
  Atom prop = rq->property != None ? rq->property : rq->target;
  int sent = 0;
  if (rq->selection != A.selection) {
    prop = None;
  } else if (rq->target == A.uri_list) {
    XChangeProperty(dpy, rq->requestor, prop, A.uri_list, 8, PropModeReplace, (const unsigned char*)uri_list,
                    (int)strlen(uri_list));
    sent = 1;
  } else if (rq->target == A.targets) {
    Atom list[2] = {A.targets, A.uri_list};
    XChangeProperty(dpy, rq->requestor, prop, XA_ATOM, 32, PropModeReplace, (const unsigned char*)list, 2);
  } else {
    char* name = XGetAtomName(dpy, rq->target);
    fprintf(stderr, "xdnd_drop: refusing a request for type %s\n", name ? name : "?");
    if (name) XFree(name);
    prop = None;
  }
  reply.xselection.property = prop;
  XSendEvent(dpy, rq->requestor, False, NoEventMask, &reply);
  XFlush(dpy);
  return sent;
}

static void Usage(void) {
  fprintf(stderr, "usage: xdnd_drop [--name TITLE | --window ID] [--timeout SECONDS] [--at X,Y] PATH\n");
  exit(2);
}

int main(int argc, char** argv) {
  const char* title = NULL;
  const char* path = NULL;
  Window target = None;
  double timeout = 10;
  int at_x = -1, at_y = -1;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--name") && i + 1 < argc) title = argv[++i];
    else if (!strcmp(argv[i], "--window") && i + 1 < argc) target = (Window)strtoul(argv[++i], NULL, 0);
    else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) timeout = atof(argv[++i]);
    else if (!strcmp(argv[i], "--at") && i + 1 < argc) {
      if (sscanf(argv[++i], "%d,%d", &at_x, &at_y) != 2) Usage();
    } else if (argv[i][0] != '-' && !path) path = argv[i];
    else Usage();
  }
  if (!path || (!title && target == None) || (title && target != None) || timeout <= 0) Usage();

  g_step = "connect";
  Display* dpy = XOpenDisplay(NULL);
  if (!dpy) Fail("cannot open display '%s'", getenv("DISPLAY") ? getenv("DISPLAY") : "");
  XSetErrorHandler(OnXError);
  Window root = DefaultRootWindow(dpy);
  A.aware = XInternAtom(dpy, "XdndAware", False);
  A.proxy = XInternAtom(dpy, "XdndProxy", False);
  A.selection = XInternAtom(dpy, "XdndSelection", False);
  A.enter = XInternAtom(dpy, "XdndEnter", False);
  A.position = XInternAtom(dpy, "XdndPosition", False);
  A.status = XInternAtom(dpy, "XdndStatus", False);
  A.leave = XInternAtom(dpy, "XdndLeave", False);
  A.drop = XInternAtom(dpy, "XdndDrop", False);
  A.finished = XInternAtom(dpy, "XdndFinished", False);
  A.type_list = XInternAtom(dpy, "XdndTypeList", False);
  A.action_copy = XInternAtom(dpy, "XdndActionCopy", False);
  A.uri_list = XInternAtom(dpy, "text/uri-list", False);
  A.targets = XInternAtom(dpy, "TARGETS", False);
  A.net_wm_name = XInternAtom(dpy, "_NET_WM_NAME", False);
  A.utf8_string = XInternAtom(dpy, "UTF8_STRING", False);
  A.timestamp_prop = XInternAtom(dpy, "_XDND_DROP_TIME", False);

  g_step = "find the target window";
  double deadline = NowSeconds() + timeout;
  if (title) {
    for (;;) {
      g_tolerate_errors = 1;
      target = FindByTitle(dpy, root, title);
      XSync(dpy, False);
      g_tolerate_errors = 0;
      if (target != None) break;
      if (NowSeconds() > deadline) Fail("no viewable window titled \"%s\" within %.0f s", title, timeout);
      nanosleep(&(struct timespec){0, 100 * 1000 * 1000}, NULL);
    }
  }
  XWindowAttributes wa;
  if (!XGetWindowAttributes(dpy, target, &wa)) Fail("window 0x%lx does not exist", target);

  g_step = "check XdndAware";
  long aware = AwareVersion(dpy, target);
  if (aware == 0) Fail("window 0x%lx has no XdndAware property: it does not accept drops", target);
  if (aware < 3) Fail("window 0x%lx speaks XDND version %ld; this source needs 3 or later", target, aware);
  if (HasProperty(dpy, target, A.proxy)) Fail("window 0x%lx names an XdndProxy, which this source does not follow", target);
  long version = aware < XDND_VERSION ? aware : XDND_VERSION;

  g_step = "translate the drop point";
  if (at_x < 0 || at_y < 0) {
    at_x = wa.width / 2;
    at_y = wa.height / 2;
  }
  if (at_x >= wa.width || at_y >= wa.height) Fail("%d,%d is outside the %dx%d window", at_x, at_y, wa.width, wa.height);
  int root_x = 0, root_y = 0;
  Window child;
  XTranslateCoordinates(dpy, target, root, at_x, at_y, &root_x, &root_y, &child);

  /* Our own window: never mapped; the target's replies and SelectionRequests are addressed to it. */
  g_step = "own the XdndSelection";
  Window source = XCreateSimpleWindow(dpy, root, -10, -10, 1, 1, 0, 0, 0);
  XSelectInput(dpy, source, PropertyChangeMask);
  Atom types[1] = {A.uri_list};
  XChangeProperty(dpy, source, A.type_list, XA_ATOM, 32, PropModeReplace, (const unsigned char*)types, 1);
  Time t = ServerTime(dpy, source, timeout);
  XSetSelectionOwner(dpy, A.selection, source, t);
  if (XGetSelectionOwner(dpy, A.selection) != source) Fail("could not take ownership of XdndSelection");
  char* uri_list = FileUri(path);

  g_step = "XdndEnter";
  /* l[1]: protocol version in the high byte; bit 0 clear = the types are the (at most three) in l[2..4]. */
  SendClient(dpy, target, A.enter, (long)source, version << 24, (long)A.uri_list, 0, 0);

  g_step = "XdndPosition";
  SendClient(dpy, target, A.position, (long)source, 0, ((long)root_x << 16) | (root_y & 0xffff), (long)t,
             (long)A.action_copy);

  g_step = "wait for XdndStatus";
  deadline = NowSeconds() + timeout;
  XEvent ev;
  int accepted = -1;
  while (accepted < 0) {
    if (!NextEvent(dpy, deadline, &ev)) Fail("no XdndStatus from window 0x%lx within %.0f s", target, timeout);
    if (ev.type == ClientMessage && ev.xclient.message_type == A.status && (Window)ev.xclient.data.l[0] == target)
      accepted = (int)(ev.xclient.data.l[1] & 1);
  }
  if (!accepted) {
    SendClient(dpy, target, A.leave, (long)source, 0, 0, 0, 0);
    Fail("window 0x%lx refused the drop of text/uri-list (XdndStatus without the accept bit)", target);
  }

  g_step = "XdndDrop";
  SendClient(dpy, target, A.drop, (long)source, 0, (long)t, 0, 0);

  g_step = "wait for the SelectionRequest and XdndFinished";
  deadline = NowSeconds() + timeout;
  int served = 0;
  for (;;) {
    if (!NextEvent(dpy, deadline, &ev)) {
      if (!served) Fail("window 0x%lx did not ask for the data within %.0f s", target, timeout);
      Fail("window 0x%lx took the data but sent no XdndFinished within %.0f s", target, timeout);
    }
    if (ev.type == SelectionRequest) {
      served |= AnswerSelectionRequest(dpy, &ev.xselectionrequest, uri_list);
    } else if (ev.type == SelectionClear && ev.xselectionclear.selection == A.selection) {
      Fail("lost ownership of XdndSelection before the drop finished");
    } else if (ev.type == ClientMessage && ev.xclient.message_type == A.finished &&
               (Window)ev.xclient.data.l[0] == target) {
      if (!served) Fail("window 0x%lx finished without asking for the data", target);
      /* Version 5: l[1] bit 0 = the target accepted the drop, l[2] = the action it performed.
       * GLFW (3.3, as Debian 12 ships it) puts the number of bytes it read from the selection in
       * l[1] instead, so its bit 0 is the parity of the URI list's length: a value equal to exactly
       * the bytes we sent is taken as accepted, and said so. */
      unsigned long flags = (unsigned long)ev.xclient.data.l[1];
      if (version >= 5 && !(flags & 1)) {
        if (flags != strlen(uri_list))
          Fail("window 0x%lx finished but did not accept the drop (l[1] = %lu)", target, flags);
        fprintf(stderr,
                "xdnd_drop: note: XdndFinished l[1] = %lu, the byte count of the URI list, not the accept bit "
                "(GLFW's reply): taken as accepted\n",
                flags);
      }
      break;
    }
  }

  printf("xdnd_drop: window 0x%lx (XDND %ld) accepted %.*s\n", target, version, (int)(strlen(uri_list) - 2), uri_list);
  free(uri_list);
  XDestroyWindow(dpy, source);
  XCloseDisplay(dpy);
  return 0;
}
