package io.scalableapp.sandbox;

import io.scalableapp.sandbox.sim.SimClock;
import io.scalableapp.sandbox.sim.SimulatedCloud;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Moves simulated time forward in the background: every {@code realTick} of wall-clock time, the
 * simulated clock advances by {@code simStep} and the cloud catches up. Speed = simStep / realTick.
 */
public final class TimeDriver implements AutoCloseable {
  private final SimClock clock;
  private final SimulatedCloud cloud;
  private final Duration simStep;
  private final Duration realTick;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public TimeDriver(SimulatedCloud cloud, Duration simStep, Duration realTick) {
    this.clock = cloud.clock();
    this.cloud = cloud;
    this.simStep = simStep;
    this.realTick = realTick;
    this.thread = new Thread(this::run, "sim-time");
    thread.setDaemon(true);
  }

  /** Runs after every step, on the driver's thread (e.g. to sample what the fleet looks like). */
  public TimeDriver onTick(Runnable listener) {
    listeners.add(listener);
    return this;
  }

  public TimeDriver start() {
    thread.start();
    return this;
  }

  private void run() {
    while (running) {
      clock.advance(simStep);
      cloud.tick();
      try {
        listeners.forEach(Runnable::run);
      } catch (RuntimeException e) {
        if (!running) {
          return; // closing: a listener's call was interrupted
        }
        throw e;
      }
      try {
        Thread.sleep(realTick.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
