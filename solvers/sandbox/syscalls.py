"""The seccomp filters: which system calls a solver worker, and then each job process, may not make.

Two filters, stacked (a filter can only ever be narrowed):
- `confine_worker()`, loaded once in the worker before its first job: no exec, no sockets, no file
  writes (open/openat with a write, create or truncate flag, and every call that changes the file system),
  no ptrace or cross-process memory access, no namespaces, mounts, keys, BPF, io_uring or SysV/POSIX IPC.
  The worker may still fork (it forks one process per job) and signal its own children.
- the job filter, loaded in each job process right after the fork: additionally no new processes (threads
  stay allowed), no signals at all, and no socket I/O. It is compiled once in the worker
  (`job_filter()`, libseccomp's BPF) and loaded in each job process with one prctl (`load`), since
  compiling it there would cost milliseconds per job.
Denied calls fail with EPERM (ENOSYS for clone3 and openat2, whose flags a filter cannot read, so that libc
falls back to clone and openat, which it can). Built with libseccomp through `pyseccomp`; when either is
missing the caller records the layer as off.
"""
from __future__ import annotations

import ctypes
import errno
import os

FS_CHANGES = """
creat link linkat symlink symlinkat unlink unlinkat rename renameat renameat2 mkdir mkdirat rmdir mknod
mknodat chmod fchmod fchmodat fchmodat2 chown fchown lchown fchownat truncate ftruncate utime utimes
utimensat futimesat setxattr lsetxattr fsetxattr removexattr lremovexattr fremovexattr fallocate
""".split()
NETWORK = "socket socketpair connect bind listen accept accept4".split()
PROCESSES_AND_KERNEL = """
execve execveat ptrace process_vm_readv process_vm_writev process_madvise pidfd_open pidfd_getfd
pidfd_send_signal rt_sigqueueinfo rt_tgsigqueueinfo mount umount umount2 pivot_root chroot unshare setns
fsopen fsconfig fsmount fspick move_mount open_tree mount_setattr open_by_handle_at name_to_handle_at
bpf perf_event_open userfaultfd io_uring_setup io_uring_enter io_uring_register keyctl add_key
request_key init_module finit_module delete_module kexec_load kexec_file_load reboot swapon swapoff acct
quotactl quotactl_fd syslog settimeofday clock_settime clock_adjtime adjtimex iopl ioperm vhangup
personality setuid setgid setreuid setregid setresuid setresgid setfsuid setfsgid setgroups
shmget shmat shmctl msgget msgsnd msgrcv msgctl semget semop semtimedop semctl mq_open mq_unlink
mq_timedsend mq_timedreceive mq_notify mq_getsetattr fanotify_init memfd_create memfd_secret
process_mrelease kcmp lookup_dcookie nfsservctl
""".split()
JOB_ONLY = """
fork vfork kill tkill tgkill sendto sendmsg sendmmsg recvfrom recvmsg recvmmsg shutdown getsockopt setsockopt
getpeername getsockname
""".split()

_CLONE_THREAD = 0x00010000
_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 22, 2
_WRITE_FLAGS = (os.O_WRONLY, os.O_RDWR)


def _filter():
    import pyseccomp  # lazy: needs libseccomp.so.2 at run time

    f = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    f.set_attr(pyseccomp.Attr.CTL_TSYNC, 1)  # every thread of the process, not just the caller
    return pyseccomp, f


def _deny(sc, f, names, error=errno.EPERM) -> None:
    for name in names:
        try:
            f.add_rule(sc.ERRNO(error), name)
        except (OSError, RuntimeError, ValueError):
            continue  # a call this architecture does not have


def confine_worker() -> None:
    """Load the worker's filter (raises OSError/RuntimeError/ImportError when seccomp is unavailable)."""
    sc, f = _filter()
    _deny(sc, f, FS_CHANGES + NETWORK + PROCESSES_AND_KERNEL)
    _deny(sc, f, ["clone3", "openat2"], errno.ENOSYS)
    for name, flags_arg in (("open", 1), ("openat", 2)):
        for mode in _WRITE_FLAGS:
            _rule(sc, f, name, sc.Arg(flags_arg, sc.MASKED_EQ, os.O_ACCMODE, mode))
        for flag in (os.O_CREAT, os.O_TRUNC, os.O_APPEND):
            _rule(sc, f, name, sc.Arg(flags_arg, sc.MASKED_EQ, flag, flag))
    f.load()


def job_filter() -> bytes:
    """The job filter as a BPF program (raises like `confine_worker` when seccomp is unavailable)."""
    sc, f = _filter()
    _deny(sc, f, JOB_ONLY)
    _rule(sc, f, "clone", sc.Arg(0, sc.MASKED_EQ, _CLONE_THREAD, 0))  # a process, not a thread
    read_fd, write_fd = os.pipe()
    try:
        with os.fdopen(write_fd, "wb", closefd=False) as out:
            f.export_bpf(out)
        os.close(write_fd)
        write_fd = -1
        program = b""
        while chunk := os.read(read_fd, 65536):
            program += chunk
    finally:
        os.close(read_fd)
        if write_fd >= 0:
            os.close(write_fd)
    return program


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load(program: bytes) -> None:
    """Load a compiled filter into this (single-threaded) process; no_new_privs must already be set."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_SECCOMP): {os.strerror(err)}")


def _rule(sc, f, name: str, arg) -> None:
    try:
        f.add_rule(sc.ERRNO(errno.EPERM), name, arg)
    except (OSError, RuntimeError, ValueError):
        pass  # a call this architecture does not have
