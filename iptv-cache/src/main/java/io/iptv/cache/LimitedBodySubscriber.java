package io.iptv.cache;

import java.io.IOException;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/** Collects a body into a byte array, failing (and cancelling) once it exceeds a limit. Internal. */
final class LimitedBodySubscriber implements BodySubscriber<byte[]> {
  private final BodySubscriber<byte[]> delegate = BodySubscribers.ofByteArray();
  private final long maxBytes;
  private Flow.Subscription subscription;
  private long received;
  private boolean failed;

  LimitedBodySubscriber(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription value) {
    subscription = value;
    delegate.onSubscribe(value);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (failed) {
      return;
    }
    for (ByteBuffer b : buffers) {
      received += b.remaining();
    }
    if (received > maxBytes) {
      failed = true;
      subscription.cancel();
      delegate.onError(new IOException("upstream body larger than " + maxBytes + " bytes"));
      return;
    }
    delegate.onNext(buffers);
  }

  @Override
  public void onError(Throwable error) {
    if (!failed) {
      delegate.onError(error);
    }
  }

  @Override
  public void onComplete() {
    if (!failed) {
      delegate.onComplete();
    }
  }
}
