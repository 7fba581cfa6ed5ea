package io.zoneguard.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.zoneguard.aws.AwsClients;
import io.zoneguard.aws.Ec2BlockStorage;
import io.zoneguard.aws.Ec2Instances;
import io.zoneguard.aws.S3ObjectStore;
import io.zoneguard.backup.BackupService;
import io.zoneguard.backup.BackupStore;
import io.zoneguard.backup.FastRestoreRotation;
import io.zoneguard.backup.PruneService;
import io.zoneguard.backup.RestoreService;
import io.zoneguard.binlog.BinlogArchiveService;
import io.zoneguard.binlog.PointInTimeRestore;
import io.zoneguard.cli.options.CommonOptions;
import io.zoneguard.config.ConfigLoader;
import io.zoneguard.config.ZoneguardConfig;
import io.zoneguard.domain.DatabaseEndpoint;
import io.zoneguard.domain.StatefulSetFacts;
import io.zoneguard.drill.DrillService;
import io.zoneguard.failover.FailoverPlanService;
import io.zoneguard.failover.FailoverService;
import io.zoneguard.failover.SafetyReview;
import io.zoneguard.inventory.InventoryService;
import io.zoneguard.kube.Fabric8Claims;
import io.zoneguard.kube.Fabric8Events;
import io.zoneguard.kube.Fabric8MountPods;
import io.zoneguard.kube.Fabric8Namespaces;
import io.zoneguard.kube.Fabric8Nodes;
import io.zoneguard.kube.Fabric8PersistentVolumes;
import io.zoneguard.kube.Fabric8Placement;
import io.zoneguard.kube.Fabric8Pods;
import io.zoneguard.kube.Fabric8Secrets;
import io.zoneguard.kube.Fabric8StatefulSets;
import io.zoneguard.kube.KubeClients;
import io.zoneguard.kube.LeaderElection;
import io.zoneguard.kube.PodExecAdmin;
import io.zoneguard.kube.PodExecDumper;
import io.zoneguard.kube.PodShell;
import io.zoneguard.mysql.MariaDbAdmin;
import io.zoneguard.mysql.MariaDbBinlogDecoder;
import io.zoneguard.mysql.MariaDbBinlogSource;
import io.zoneguard.mysql.MysqlClientProcess;
import io.zoneguard.mysql.MysqldumpProcess;
import io.zoneguard.port.BinlogSource;
import io.zoneguard.port.BlockStorage;
import io.zoneguard.port.Cluster;
import io.zoneguard.port.DatabaseAdmin;
import io.zoneguard.port.DatabaseDumper;
import io.zoneguard.port.DatabaseLoader;
import io.zoneguard.port.Instances;
import io.zoneguard.port.ObjectStore;
import io.zoneguard.port.Placement;
import io.zoneguard.port.Secrets;
import io.zoneguard.port.StatefulSets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Builds configuration, clients and adapters for one command, each at most once and only when the
 * command asks for it, and closes them afterwards. The only place that knows concrete adapters.
 */
final class Wiring implements AutoCloseable {
  private final ZoneguardConfig config;
  private AwsClients aws;
  private KubernetesClient kube;
  private AwsClients drAws;
  private Cluster cluster;

  Wiring(CommonOptions options, Map<String, String> env) {
    this.config = ConfigLoader.load(Optional.ofNullable(options.configFile), env, options.flags());
  }

  ZoneguardConfig config() {
    return config;
  }

  Clock clock() {
    return Clock.systemUTC();
  }

  synchronized AwsClients aws() {
    if (aws == null) {
      aws = AwsClients.create(config.region(), config.awsEndpoint(), config.pathStyle());
    }
    return aws;
  }

  BlockStorage blockStorage() {
    return new Ec2BlockStorage(aws().ec2());
  }

  /** Block storage in the DR region, when aws.drRegion is configured. */
  synchronized Optional<BlockStorage> drBlockStorage() {
    if (config.drRegion().isEmpty()) {
      return Optional.empty();
    }
    if (drAws == null) {
      drAws = AwsClients.create(config.drRegion().get(), config.awsEndpoint(), config.pathStyle());
    }
    return Optional.of(new Ec2BlockStorage(drAws.ec2()));
  }

  ObjectStore objectStore() {
    return new S3ObjectStore(aws().s3(), config.bucket(), config.kmsKeyId());
  }

  /**
   * The failover service; the lock holder is user@host, so a re-run on the same machine after a
   * crash resumes at once, while a run elsewhere waits for the lease.
   */
  FailoverService failoverService(Map<String, String> env) {
    String host = env.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "unknown-host";
      }
    }
    String holder = env.getOrDefault("USER", "zoneguard") + "@" + host;
    return new FailoverService(
        cluster(),
        blockStorage(),
        instances(),
        placement(),
        inventory(),
        failoverPlanService(),
        config.cluster(),
        clock(),
        holder);
  }

  FailoverPlanService failoverPlanService() {
    return new FailoverPlanService(
        inventory(),
        blockStorage(),
        backupStore(),
        new SafetyReview(cluster().nodes(), instances(), placement()),
        config.cluster(),
        clock());
  }

  Instances instances() {
    return new Ec2Instances(aws().ec2());
  }

  Placement placement() {
    return new Fabric8Placement(kubernetesClient());
  }

  DrillService drillService() {
    return drillService("mariadb-binlog");
  }

  /** Drills whose binlog replays decode with {@code decoderBinary}. */
  DrillService drillService(String decoderBinary) {
    Cluster k = cluster();
    return new DrillService(
        k.statefulSets(),
        k.namespaces(),
        k.claims(),
        k.persistentVolumes(),
        k.events(),
        new Fabric8MountPods(kubernetesClient()),
        blockStorage(),
        backupStore(),
        restoreService(),
        pointInTimeRestore(decoderBinary),
        config.cluster(),
        clock());
  }

  /** The backup sets in the bucket: the only way services reach S3. */
  PointInTimeRestore pointInTimeRestore(String decoderBinary) {
    return new PointInTimeRestore(
        backupStore(), restoreService(), new MariaDbBinlogDecoder(decoderBinary));
  }

  io.zoneguard.binlog.CatchUp catchUp(String decoderBinary) {
    return new io.zoneguard.binlog.CatchUp(backupStore(), new MariaDbBinlogDecoder(decoderBinary));
  }

  /** The GTID positions and replication threads of the server a catch-up writes into. */
  static io.zoneguard.port.ServerPosition serverPosition(DatabaseEndpoint endpoint) {
    return new io.zoneguard.mysql.MariaDbServerPosition(endpoint);
  }

  BinlogArchiveService binlogArchiveService() {
    return new BinlogArchiveService(backupStore(), clock());
  }

  /** A server to archive binary logs from, streamed by {@code binary}. */
  static BinlogSource binlogSource(DatabaseEndpoint endpoint, String binary, long replicaId) {
    return new MariaDbBinlogSource(endpoint, binary, replicaId);
  }

  BackupStore backupStore() {
    return new BackupStore(objectStore(), config.prefix(), config.cluster(), clock());
  }

  RestoreService restoreService() {
    return new RestoreService(backupStore(), clock());
  }

  InventoryService inventory() {
    Cluster k = cluster();
    return new InventoryService(
        k.namespaces(),
        k.statefulSets(),
        k.claims(),
        k.persistentVolumes(),
        k.nodes(),
        k.pods(),
        blockStorage(),
        config.region(),
        clock());
  }

  /** The database over TCP: JDBC for queries, a local mysqldump process for the dump. */
  static DatabaseAccess tcp(DatabaseEndpoint endpoint, String mysqldump) {
    return new DatabaseAccess(
        new MariaDbAdmin(endpoint), new MysqldumpProcess(mysqldump, endpoint));
  }

  /** The database through exec into its pod: the client programs of the pod's own image. */
  DatabaseAccess exec(
      String namespace, String pod, String container, String user, String passwordEnv) {
    PodShell shell = new PodShell(kubernetesClient(), namespace, pod, container, user, passwordEnv);
    return new DatabaseAccess(new PodExecAdmin(shell), new PodExecDumper(shell));
  }

  /** How to query and dump one database server. */
  record DatabaseAccess(DatabaseAdmin admin, DatabaseDumper dumper) {}

  /** Loads a dump into {@code endpoint} with the local {@code mysql} client binary. */
  static DatabaseLoader loader(String mysqlBinary, DatabaseEndpoint endpoint) {
    return new MysqlClientProcess(mysqlBinary, endpoint);
  }

  /** Queries and drops scratch databases on {@code endpoint} (drill cleanup). */
  static DatabaseAdmin admin(DatabaseEndpoint endpoint) {
    return new MariaDbAdmin(endpoint);
  }

  /** Where a drill restores its dump: the scratch server, loaded and verified. */
  static DrillService.Scratch scratch(String mysqlBinary, DatabaseEndpoint endpoint) {
    return new DrillService.Scratch(loader(mysqlBinary, endpoint), admin(endpoint));
  }

  /** {@code serve}'s leadership: a Lease in the configured namespace, renewed every 15 s. */
  LeaderElection leaderElection(String identity) {
    return new LeaderElection(
        kubernetesClient(),
        config.leaseNamespace(),
        config.leaseName(),
        identity,
        java.time.Duration.ofSeconds(15));
  }

  BackupService backupService(DatabaseAccess db, int zstdLevel) {
    return new BackupService(
        cluster().events(),
        blockStorage(),
        backupStore(),
        db.admin(),
        db.dumper(),
        inventory(),
        clock(),
        config.cluster(),
        VersionProvider.version(),
        zstdLevel,
        drBlockStorage()
            .map(
                dr ->
                    new BackupService.DrTarget(
                        config.drRegion().orElseThrow(), dr, config.region())));
  }

  FastRestoreRotation fastRestoreRotation() {
    return new FastRestoreRotation(blockStorage(), cluster().events(), config.cluster());
  }

  PruneService pruneService() {
    return new PruneService(
        cluster().statefulSets(),
        cluster().events(),
        blockStorage(),
        backupStore(),
        clock(),
        config.cluster(),
        drBlockStorage());
  }

  /** The DNS name of one replica through the StatefulSet's headless service. */
  static String replicaHost(StatefulSetFacts sts, int replica) {
    return sts.podName(replica) + "." + sts.serviceName() + "." + sts.namespace() + ".svc";
  }

  synchronized KubernetesClient kubernetesClient() {
    if (kube == null) {
      kube = KubeClients.create(config.kubeconfig(), config.kubeContext());
    }
    return kube;
  }

  /** Every Kubernetes adapter, one per resource kind, built once over one client. */
  synchronized Cluster cluster() {
    if (cluster == null) {
      KubernetesClient c = kubernetesClient();
      cluster =
          new Cluster(
              new Fabric8Namespaces(c),
              new Fabric8StatefulSets(c),
              new Fabric8Claims(c),
              new Fabric8PersistentVolumes(c),
              new Fabric8Nodes(c),
              new Fabric8Pods(c),
              new Fabric8Events(c),
              new Fabric8Secrets(c));
    }
    return cluster;
  }

  StatefulSets statefulSets() {
    return cluster().statefulSets();
  }

  Secrets secrets() {
    return cluster().secrets();
  }

  @Override
  public synchronized void close() {
    if (kube != null) {
      kube.close();
    }
    if (aws != null) {
      aws.close();
    }
    if (drAws != null) {
      drAws.close();
    }
  }
}
