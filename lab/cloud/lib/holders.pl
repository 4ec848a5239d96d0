#!/usr/bin/perl
# Starts the cloud box's namespace holders, one per host: a process in a user namespace (whose
# root is the unprivileged user running this) and a mount namespace where the host's own folders
# are mounted over /var and /srv, its own etc/ is laid over the machine's /etc (an overlay: the
# host reads the machine's files and its own, and writes only its own), and its boot id file over
# /proc/sys/kernel/random/boot_id. It then sleeps; lib/login runs each SSH command inside it
# (nsenter), so that every host has its own /var/tmp, /var/backups, /etc/glance, /etc/cron.d,
# /srv and boot id.
# Run by lab/cloud/up as the box's login user. Reads host folders (DIR/hosts/NAME) on stdin, one
# a line; writes DIR/hosts/NAME/ns = "PID STARTTIME" for each; prints "ok N" or dies naming the
# host that failed. Raw syscalls (unshare, mount): util-linux's mount costs ~10 ms a call, this
# ~3 ms a host.
use strict;
use warnings;
use POSIX ();

my %syscalls = (x86_64 => [272, 165], aarch64 => [97, 40]);
my $arch = (POSIX::uname())[4];
my ($SYS_unshare, $SYS_mount) = @{$syscalls{$arch} or die "holders: unknown machine $arch\n"};
my ($CLONE_NEWUSER, $CLONE_NEWNS) = (0x10000000, 0x00020000);
my ($MS_BIND, $MS_REC, $MS_PRIVATE) = (0x1000, 0x4000, 0x40000);
my $uid = $<;
my $gid = (split ' ', $()[0];
my $home = shift @ARGV // die "usage: holders.pl HOME < host folders\n";

sub put {
  my ($file, $text) = @_;
  open(my $h, '>', $file) or die "$file: $!\n";
  print $h $text;
  close $h or die "$file: $!\n";
}

# mount(2); the strings are copies: syscall may write into its arguments
sub mount {
  my ($from, $to, $flags) = @_;
  syscall($SYS_mount, $from, $to, 0, $flags, 0) == 0 or die "mount $from on $to: $!\n";
}

my $n = 0;
while (my $hd = <STDIN>) {
  chomp $hd;
  next if $hd eq '';
  pipe(my $r, my $w) or die "pipe: $!\n";
  my $pid = fork() // die "fork: $!\n";
  if ($pid == 0) {
    close $r;
    eval {
      syscall($SYS_unshare, $CLONE_NEWUSER | $CLONE_NEWNS) == 0 or die "unshare: $!\n";
      put('/proc/self/setgroups', 'deny');
      put('/proc/self/uid_map', "0 $uid 1");
      put('/proc/self/gid_map', "0 $gid 1");
      mount('none', '/', $MS_REC | $MS_PRIVATE);
      mount("$hd/boot_id", '/proc/sys/kernel/random/boot_id', $MS_BIND);
      mount("$hd/root/var", '/var', $MS_BIND);
      mount("$hd/root/srv", '/srv', $MS_BIND);
      my ($ov, $etc, $type) = ('overlay', '/etc', 'overlay');
      my $options = "lowerdir=/etc,upperdir=$hd/etc,workdir=$hd/etc.work";
      syscall($SYS_mount, $ov, $etc, $type, 0, $options) == 0
        or die "overlay of $hd/etc on /etc: $!\n";
      chdir($home) or die "cd $home: $!\n";
      open(STDIN, '<', '/dev/null') or die "stdin: $!\n";
      open(STDOUT, '>', '/dev/null') or die "stdout: $!\n";
      POSIX::setsid();
      1;
    } or do {
      print $w $@;
      close $w;
      POSIX::_exit(1);
    };
    print $w "ok\n";
    close $w;
    open(STDERR, '>', '/dev/null');
    exec('sleep', 'infinity') or POSIX::_exit(1);
  }
  close $w;
  my $said = do { local $/; <$r> } // '';
  close $r;
  if ($said ne "ok\n") {
    waitpid($pid, 0);
    die "holders: $hd: " . ($said eq '' ? "the holder died\n" : $said);
  }
  open(my $stat, '<', "/proc/$pid/stat") or die "holders: $hd: pid $pid is gone\n";
  my @f = split ' ', scalar <$stat>;
  close $stat;
  put("$hd/ns", "$pid $f[21]\n");
  $n++;
}
print "ok $n\n";
