#!/usr/bin/perl
# Generates the cloud box (called by lab/cloud/up): the CERN shape of examples/cern-havana with
# PER_CELL hypervisors a cell, each host at its own loopback address, as
#   - the inventory (every host with its address), on stdout with --inventory-only;
#   - else, in DIR: inventory.yaml, hosts.list (NAME ADDRESS, inventory order), the hosts' folders
#     (DIR/hosts/NAME, see README.md), DIR/by-address/ADDRESS -> ../hosts/NAME, the repositories
#     (DIR/repos/ID/PKG), the catalog (DIR/catalog), the cloud's lists (DIR/cloud/hosts-with/SVC:
#     the hosts running a service; DIR/cloud/endpoints/API: the hosts serving an API).
# One process: thousands of hosts' files in a few seconds, where a shell loop forks for each.
# Usage: generate.pl --per-cell N --base 127.B --port P --user U --catalog FILE --hosts-total N
#                    (--inventory-only | --dir DIR --db-password PW)
use strict;
use warnings;
use Getopt::Long;
use File::Path qw(make_path);

my %o = (user => 'upshift-cloud', port => 22);
GetOptions(\%o, 'per-cell=i', 'base=s', 'port=i', 'user=s', 'catalog=s', 'hosts-total=i',
  'inventory-only', 'dir=s', 'db-password=s') or die "generate.pl: bad options\n";
defined $o{$_} or die "generate.pl: --$_ is required\n" for qw(per-cell base catalog hosts-total);
$o{'inventory-only'} or (defined $o{dir} and defined $o{'db-password'})
  or die "generate.pl: --dir and --db-password, or --inventory-only\n";

# --- the kinds of host: roles, components (the plan's names), databases, labels ------------------
my %kind = (
  api => {roles => 'api-controller, controller',
    components => [qw(nova-api nova-cells nova-client cinder-client glance-client keystone-client)]},
  keystone => {roles => 'keystone-main', components => ['keystone'], labels => '{endpoint: main}'},
  glance => {roles => 'glance', components => [qw(glance-api glance-registry)]},
  cinder => {roles => 'cinder', components => [qw(cinder-api cinder-scheduler cinder-volume)]},
  'horizon-blue' => {roles => 'horizon', components => ['horizon'], labels => '{color: blue}'},
  'horizon-green' => {roles => 'horizon', components => ['horizon'], states => '{horizon: drained}',
    labels => '{color: green}'},
  ceilometer => {roles => 'ceilometer',
    components => [qw(ceilometer-central ceilometer-collector ceilometer-api)]},
  'db-nova' => {roles => 'db', databases => ['nova']},
  'db-keystone' => {roles => 'db', databases => ['keystone']},
  'db-glance' => {roles => 'db', databases => ['glance']},
  'db-cinder' => {roles => 'db', databases => ['cinder']},
  'db-cell' => {roles => 'db', databases => [qw(nova keystone)]},
  rabbit => {roles => 'rabbit', components => ['rabbitmq']},
  cellctl => {roles => 'cell-controller, controller',
    components => [qw(nova-cells nova-conductor nova-scheduler keystone nova-client cinder-client glance-client keystone-client)],
    labels => '{endpoint: cell}'},
  'hv-kvm' => {roles => 'compute', components => [qw(nova-compute hypervisor ceilometer-compute)],
    labels => '{hypervisor: kvm, cores: "24"}'},
  'hv-hyperv' => {roles => 'compute', components => [qw(nova-compute hypervisor)],
    labels => '{hypervisor: hyperv, cores: "24"}', windows => 1},
);

# --- the shape, in the example's order -------------------------------------------------------------
my @hosts; # [name, kind, site, cell]
push @hosts, ["api-$_", 'api', 'geneva', 'top'] for qw(01 02 03);
push @hosts, ["keystone-$_", 'keystone', 'geneva', 'top'] for qw(01 02 03);
push @hosts, ["glance-$_", 'glance', 'geneva', 'top'] for qw(01 02 03 04);
push @hosts, ["cinder-$_", 'cinder', 'geneva', 'top'] for qw(01 02 03);
push @hosts, ["horizon-blue-$_", 'horizon-blue', 'geneva', 'top'] for qw(01 02);
push @hosts, ["horizon-green-$_", 'horizon-green', 'geneva', 'top'] for qw(01 02);
push @hosts, ["ceilometer-$_", 'ceilometer', 'geneva', 'top'] for qw(01 02);
push @hosts, ['db-nova-top', 'db-nova', 'geneva', 'top'], ['db-keystone', 'db-keystone', 'geneva', 'top'],
  ['db-glance', 'db-glance', 'geneva', 'top'], ['db-cinder', 'db-cinder', 'geneva', 'top'],
  ['rabbit-top', 'rabbit', 'geneva', 'top'];
for my $cell (qw(gva-1 gva-2 gva-3 gva-4 gva-5 gva-6 bud-1 bud-2 bud-3 bud-4)) {
  my $site = $cell =~ /^bud/ ? 'budapest' : 'geneva';
  (my $s = $cell) =~ s/-//;
  push @hosts, ["cellctl-$s-$_", 'cellctl', $site, $cell] for qw(01 02);
  push @hosts, ["db-$s", 'db-cell', $site, $cell], ["rabbit-$s", 'rabbit', $site, $cell];
  my $hv = ($cell eq 'gva-6' || $cell eq 'bud-4') ? 'hv-hyperv' : 'hv-kvm';
  push @hosts, [sprintf('hv-%s-%04d', $s, $_), $hv, $site, $cell] for 1 .. $o{'per-cell'};
}
my %addr;
for my $i (0 .. $#hosts) {
  $addr{$hosts[$i][0]} = sprintf('%s.%d.%d', $o{base}, int($i / 250), $i % 250 + 1);
}

# --- the inventory -----------------------------------------------------------------------------------
sub inventory {
  my $out = '';
  $out .= "# yaml-language-server: \$schema=../../docs/inventory.schema.json\n";
  $out .= "# The cloud box (lab/cloud/up --hosts $o{'hosts-total'} --base $o{base} --port $o{port}): the CERN\n";
  $out .= "# cloud of examples/cern-havana/inventory.yaml with $o{'per-cell'} hypervisors a cell, every host\n";
  $out .= "# at its own loopback address, reached over SSH as the box's user. Generated by lab/cloud/up.\n";
  $out .= "upshift-inventory: 1\ndefaults:\n  os: linux                 # Scientific Linux 6.5\n";
  $out .= "  service-manager: sysv\n  package-manager: yum\n  version: grizzly\n";
  $out .= "  port: $o{port}\n  user: $o{user}\nsites:\n";
  my ($site, $cell) = ('', '');
  for my $h (@hosts) {
    my ($name, $k, $s, $c) = @$h;
    my $kd = $kind{$k};
    if ($s ne $site) { $out .= "  $s:\n    cells:\n"; $site = $s; }
    if ($c ne $cell) { $out .= "      $c:\n        hosts:\n"; $cell = $c; }
    my $line = "{name: $name, roles: [$kd->{roles}]";
    $line .= $kd->{databases} ? ", databases: [" . join(', ', @{$kd->{databases}}) . "]"
      : ", components: [" . join(', ', @{$kd->{components}}) . "]";
    $line .= ", states: $kd->{states}" if $kd->{states};
    $line .= ", labels: $kd->{labels}" if $kd->{labels};
    $line .= ", os: windows, service-manager: windows, package-manager: pip" if $kd->{windows};
    $out .= "          - $line, address: $addr{$name}}\n";
  }
  return $out;
}
if ($o{'inventory-only'}) {
  print inventory();
  exit 0;
}

# --- the box's files ----------------------------------------------------------------------------------
my $dir = $o{dir};
sub put {
  my ($file, $text) = @_;
  open(my $f, '>', $file) or die "generate.pl: $file: $!\n";
  print $f $text;
  close $f or die "generate.pl: $file: $!\n";
}
sub append { my ($file, $text) = @_; open(my $f, '>>', $file) or die "$file: $!\n"; print $f $text; close $f; }
sub uuid { open(my $f, '<', '/proc/sys/kernel/random/uuid') or die; my $u = <$f>; chomp $u; return $u; }

put("$dir/inventory.yaml", inventory());
put("$dir/hosts.list", join('', map { "$_->[0] $addr{$_->[0]}\n" } @hosts));

# the catalog: packages, services, components, schemas
my (%pkg, %comp);
open(my $cat, '<', $o{catalog}) or die "generate.pl: $o{catalog}: $!\n";
while (<$cat>) {
  next if /^\s*(#|$)/;
  my @f = split;
  if ($f[0] eq 'package') {
    my (undef, $name, $arch, $g, $h, $repo) = @f;
    $pkg{$name} = {arch => $arch, grizzly => $g, havana => $h, repo => $repo};
    if ($repo eq 'rdo') {
      make_path("$dir/repos/rdo-grizzly", "$dir/repos/rdo-havana");
      put("$dir/repos/rdo-grizzly/$name", "$g $arch grizzly\n");
      put("$dir/repos/rdo-havana/$name", "$h $arch havana\n");
    } else {
      make_path("$dir/repos/$repo");
      put("$dir/repos/$repo/$name", "$h $arch havana\n");
    }
    make_path("$dir/repos/cern-pypi");
    (my $v = $h) =~ s/-.*//;
    put("$dir/repos/cern-pypi/$name", "$v - havana\n");
  } elsif ($f[0] eq 'service') {
    make_path("$dir/catalog/svc");
    put("$dir/catalog/svc/$f[1]", "$f[2] $f[3]\n");
  } elsif ($f[0] eq 'component') {
    $comp{$f[1]} = {package => $f[2], service => $f[3]};
  } elsif ($f[0] eq 'schema') {
    make_path("$dir/catalog/schema");
    put("$dir/catalog/schema/$f[1].grizzly", "$f[2]\n");
    put("$dir/catalog/schema/$f[1].havana", "$f[3]\n");
  }
}
close $cat;
# Glance's policy.json as the packages ship it: Havana's defines context_is_admin, Grizzly's did
# not. The hosts have the site's edited copy: rpm keeps it on an update, Havana's goes to .rpmnew.
make_path("$dir/catalog/config/openstack-glance.grizzly/etc/glance", "$dir/catalog/config/openstack-glance.havana/etc/glance");
put("$dir/catalog/config/openstack-glance.grizzly/etc/glance/policy.json",
  qq({"default": "", "manage_image_cache": "role:admin"}\n));
put("$dir/catalog/config/openstack-glance.havana/etc/glance/policy.json",
  qq({"context_is_admin": "role:admin", "default": "", "manage_image_cache": "role:admin"}\n));

my $boot_time = time;
my $pw = $o{'db-password'};
make_path("$dir/by-address", "$dir/cloud/hosts-with", "$dir/cloud/endpoints");
my (%with, %endpoint);
for my $h (@hosts) {
  my ($name, $k, $site, $cell) = @$h;
  my $kd = $kind{$k};
  my $hd = "$dir/hosts/$name";
  my $windows = $kd->{windows} ? 1 : 0;
  make_path(map { "$hd/$_" } qw(packages services enabled repos sessions puppet etc root/var/tmp
    root/var/backups root/var/log root/var/lib/upshift-cloud root/srv etc/cron.d etc.work));
  symlink("../hosts/$name", "$dir/by-address/$addr{$name}") or die "generate.pl: link for $name: $!\n";
  symlink('/run', "$hd/root/var/run");
  symlink('/run/lock', "$hd/root/var/lock");
  put("$hd/name", "$name\n");
  put("$hd/address", "$addr{$name}\n");
  put("$hd/site", "$site\n");
  put("$hd/cell", "$cell\n");
  put("$hd/roles", join(' ', split /,\s*/, $kd->{roles}) . "\n");
  put("$hd/boot_id", uuid() . "\n");
  put("$hd/boot_time", "$boot_time\n");
  put("$hd/log", '');
  put("$hd/monitoring-restarts", "enabled\n");
  put("$hd/os", $windows ? "windows\n" : "linux\n");
  put("$hd/service-manager", $windows ? "windows\n" : "sysv\n");
  put("$hd/package-manager", $windows ? "pip\n" : "yum\n");
  if ($windows) {
    put("$hd/repos/cern-pypi", "1\n");
  } else {
    put("$hd/repos/cern-cloud", "1\n");
    put("$hd/repos/rdo-grizzly", "1\n");
    put("$hd/repos/rdo-havana", "0\n");
  }
  my $install = sub {
    my ($p, $rel) = @_;
    $rel //= 'grizzly';
    my $d = $pkg{$p} or die "generate.pl: no package $p in the catalog\n";
    my $v = $d->{$rel};
    if ($windows) {
      $v =~ s/-.*//;
      put("$hd/packages/$p", "$v - $rel cern-pypi\n");
    } else {
      my $repo = $d->{repo} eq 'rdo' ? "rdo-$rel" : $d->{repo};
      put("$hd/packages/$p", "$v $d->{arch} $rel $repo\n");
    }
  };
  my $service = sub {
    my ($s) = @_;
    put("$hd/services/$s", "running grizzly\n");
    put("$hd/enabled/$s", '');
    push @{$with{$s}}, $name;
  };
  for my $c (@{$kd->{components} // []}) {
    my $cd = $comp{$c} or die "generate.pl: no component $c in the catalog\n";
    $install->($cd->{package});
    $service->($cd->{service}) unless $cd->{service} eq '-';
  }
  my $conf = sub { # the site's configuration: where the project's database is
    my ($project, $dbhost) = @_;
    my ($file, $section, $key) = ("$hd/etc/$project/$project.conf", 'DEFAULT', 'sql_connection');
    $file = "$hd/etc/glance/glance-api.conf" if $project eq 'glance';
    ($section, $key) = ('sql', 'connection') if $project eq 'keystone';
    (my $d = $file) =~ s{/[^/]+$}{};
    make_path($d);
    put($file, "# written by the site configuration (Puppet)\n[$section]\n$key = mysql://$project:$pw\@$addr{$dbhost}/$project\n");
  };
  (my $cell_db = "db-$cell") =~ s/-(\w+)-(\d+)$/-$1$2/;
  if ($k =~ /^db-/) {
    # a real MariaDB (lib/mysql.sh starts it inside the host, as /etc/my.cnf says); lab/cloud/up
    # creates its users and databases from mysql.init, at Grizzly's schema, with the cloud's data
    $install->('mysql-server');
    $service->('mysqld');
    make_path("$hd/root/var/lib/mysql", "$hd/etc/mysql");
    put("$hd/etc/my.cnf", <<"CNF");
# written by the site configuration (Puppet)
[mysqld]
# the host's root (inside its namespaces the login user is root)
user=root
datadir=/var/lib/mysql
socket=/var/lib/mysql/mysql.sock
pid-file=/var/lib/mysql/mysqld.pid
log-error=/var/log/mysqld.log
bind-address=$addr{$name}
port=3306
skip-name-resolve
performance_schema=OFF
innodb_buffer_pool_size=8M
innodb_log_file_size=4M
innodb_use_native_aio=0
key_buffer_size=1M
max_connections=400
open_files_limit=8192
table_open_cache=400

[client]
socket=/var/lib/mysql/mysql.sock
CNF
    put("$hd/etc/mysql/my.cnf", "# the site's MySQL configuration is /etc/my.cnf\n");
    my $sql = "DELETE FROM mysql.global_priv WHERE User = '';\n"
      . "ALTER USER root\@localhost IDENTIFIED BY '$pw';\n";
    for my $db (@{$kd->{databases}}) {
      open(my $s, '<', "$dir/catalog/schema/$db.grizzly") or die;
      chomp(my $schema = <$s>);
      open(my $f, '<', "$dir/lib/sql/$db.grizzly.sql") or die "generate.pl: no lib/sql/$db.grizzly.sql\n";
      my $ddl = do { local $/; <$f> };
      $sql .= "CREATE DATABASE $db DEFAULT CHARACTER SET utf8;\n"
        . "CREATE USER '$db'\@'%' IDENTIFIED BY '$pw';\nGRANT ALL ON $db.* TO '$db'\@'%';\n"
        . "USE $db;\n$ddl"
        . "INSERT INTO migrate_version VALUES ('$db', '/usr/lib/python2.6/site-packages/$db/db/sqlalchemy/migrate_repo', $schema);\n";
      if ($db eq 'keystone') { # the tokens that piled up since the last flush, long expired
        $sql .= "INSERT INTO token (id, expires, extra, valid, user_id) VALUES "
          . join(', ', map { "('expired$_', NOW() - INTERVAL 30 DAY, '{}', 1, 'demo')" } 1 .. 200) . ";\n";
      }
      if ($db eq 'nova') {
        $sql .= "INSERT INTO quotas (project_id, resource, hard_limit) VALUES "
          . join(', ', map { "(NULL, '$_->[0]', $_->[1])" } ['instances', 10], ['cores', 20], ['ram', 51200],
            ['floating_ips', 10], ['volumes', 10], ['gigabytes', 1000]) . ";\n";
      }
      if ($db eq 'glance') {
        $sql .= "INSERT INTO images (id, name, owner, is_public, size, created_at) VALUES "
          . join(', ', map { my @i = split / /; "('" . uuid() . "', '$i[0]', '$i[1]', $i[2], $i[3], NOW())" }
            'cirros-0.3.1 admin 1 13147648', 'slc6-server-x86_64 admin 1 1046478848',
            'private-of-admin admin 0 2147483648', 'demo-snapshot demo 0 4294967296') . ";\n";
      }
      if ($db eq 'cinder') {
        $sql .= "INSERT INTO volumes (id, status, display_name, size, volume_type_id, instance_uuid, created_at) VALUES "
          . join(', ', map {
            sprintf("('%s', '%s', 'vol-%02d', 100, 'standard', %s, NOW())", uuid(), $_ % 3 ? 'in-use' : 'available', $_,
              $_ % 3 ? "'" . uuid() . "'" : 'NULL')
          } 1 .. 40) . ";\n";
      }
      # the project's manage tool, pre-staged at Havana: Upshift runs db-sync on the database's host
      $install->("python-$db", 'havana');
      $conf->($db, $name);
    }
    $sql .= "FLUSH PRIVILEGES;\n";
    put("$hd/mysql.init", $sql);
  } elsif ($k eq 'api') {
    $conf->('nova', 'db-nova-top');
    make_path("$hd/root/srv/puppet/.git");
    push @{$endpoint{compute}}, $name;
  } elsif ($k eq 'keystone') {
    $conf->('keystone', 'db-keystone');
    push @{$endpoint{identity}}, $name;
  } elsif ($k eq 'glance') {
    $conf->('glance', 'db-glance');
    make_path("$hd/etc/glance");
    put("$hd/etc/glance/policy.json",
      qq({"default": "", "manage_image_cache": "role:admin", "publicize_image": "role:admin"}\n));
    push @{$endpoint{image}}, $name;
  } elsif ($k eq 'cinder') {
    $conf->('cinder', 'db-cinder');
    push @{$endpoint{volume}}, $name;
  } elsif ($k eq 'cellctl') {
    $conf->('nova', $cell_db);
    $conf->('keystone', $cell_db);
  }
}
put("$dir/cloud/hosts-with/$_", join('', map { "$_\n" } @{$with{$_}})) for keys %with;
put("$dir/cloud/endpoints/$_", join('', map { "$_\n" } @{$endpoint{$_}})) for keys %endpoint;
print scalar(@hosts), "\n";
