/**
 * An upstream-faithful simulation of the Kubernetes controllers (and the EC2 facts under them) that
 * zoneguard's failover and failback race against in production. Every IT that lets controllers
 * react to zoneguard (failover, failback, fencing, drills, demo, serve) and the failover benchmark
 * run on it; the old hand-played fake controllers, kinder than Kubernetes, are gone.
 *
 * <h2>Usage</h2>
 *
 * <pre>{@code
 * @ExtendWith(AwsExtension.class)
 * class MyIT {
 *   @Test
 *   void example(AwsBackend aws) {
 *     try (Sim sim = Sim.start(aws, Sim.seedProperty(42))) {       // -Dseed=N replays a schedule
 *       SimWorld world = new SimWorld(sim).nodesAndStorageClass(2); // 2 nodes per zone, moto instances
 *       world.mysql("mysql", SimWorld.Shape.standard(), 10);        // only the StatefulSet object
 *       world.awaitReady("mysql", 3);                               // controllers create the rest
 *       Map<String, String> env = sim.cliEnv(baseEnv);              // kubeconfig + AWS behind the gates
 *       sim.run(() -> {                                             // failures print seed + event log
 *         world.loseZone("us-east-1b");                  // or partitionZone(...), hangZone(...)
 *         Cli.Result r = Cli.run(env, "failover", "apply", ...);    // controllers act between calls
 *         ...
 *       });
 *     }
 *   }
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Gates.</b> zoneguard's Kubernetes client and its AWS endpoint go through {@link
 *       io.zoneguard.testing.FaultProxy} gates ({@link Sim#cliEnv}). Before each forwarded call the
 *       simulation runs 0..{@code maxRoundsPerCall} rounds (seeded), each running every controller
 *       once in a seeded order: the controllers can act between any two of zoneguard's calls.
 *       {@link Sim#calls()} lists zoneguard's calls with their bodies (for invariants such as UID
 *       preconditions). The simulation's own client talks to the mock directly.
 *   <li><b>Crashes.</b> {@link Sim#crashAt(int) crashAt(n)} refuses zoneguard's n-th call from now
 *       and every later one (403), so the CLI run aborts there as if the process had been killed;
 *       {@link Sim#recover()} lets the next run through; {@link Sim#settle} / {@link Sim#rounds}
 *       let time pass in between.
 *   <li><b>AWS timing.</b> Behind the AWS gate new volumes stay {@code creating} for 2 s and new
 *       snapshots {@code pending} for 3 s (moto completes both at once).
 *   <li><b>Controllers</b> (each class cites the upstream file/function it follows): {@link
 *       StatefulSetController}, {@link PvController} (binder + EBS CSI provisioner/deleter; volumes
 *       it provisions are EMPTY and tagged {@code zoneguard-sim/empty=true}), {@link Scheduler},
 *       {@link PvcProtection}, {@link Kubelet} (with attach/detach; pods carry a stand-in finalizer
 *       for graceful deletion), {@link NodeLifecycle} (unreachable taints, taint eviction, PodGC).
 *   <li><b>World.</b> {@link SimWorld#loseZone} stops the zone's EC2 instances (its containers die,
 *       its pods never finish terminating); {@link SimWorld#partitionZone} keeps them running
 *       (containers keep writing: {@code Sim.running}); {@link SimWorld#hangZone} leaves the
 *       instances running in EC2 but kills kubelets and containers (what only the operator's {@code
 *       --confirm-nodes-down} can vouch for); {@link SimWorld#recoverZone} heals all three. {@link
 *       SimFixture} wraps each with the rounds until the zone is NotReady (or Ready).
 *   <li><b>Reading a failure.</b> {@link Sim#run} appends the seed and the last events: {@code ZG}
 *       lines are zoneguard's calls, the others what each controller did ({@code PROVISIONED
 *       EMPTY}, {@code Released}, {@code DELETED EBS volume}, {@code SPLIT BRAIN} are the ones to
 *       look for).
 * </ul>
 */
package io.zoneguard.testing.sim;
