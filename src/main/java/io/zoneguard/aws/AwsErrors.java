package io.zoneguard.aws;

import io.zoneguard.domain.Text;
import io.zoneguard.domain.ZoneguardException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK exceptions into one-line messages that say what failed and what AWS answered. */
final class AwsErrors {
  private AwsErrors() {}

  static ZoneguardException translate(String operation, SdkException e) {
    // Missing or refused credentials say so in one line of their own (CredentialsChain), whatever
    // the call that needed them.
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ZoneguardException ze) {
        return ze;
      }
    }
    if (e instanceof AwsServiceException ase && ase.awsErrorDetails() != null) {
      String code = ase.awsErrorDetails().errorCode();
      String msg = ase.awsErrorDetails().errorMessage();
      String hint =
          switch (code == null ? "" : code) {
            case "AccessDenied", "UnauthorizedOperation", "AccessDeniedException" ->
                " (the IAM role lacks this permission: see terraform/ for the policy)";
            case "NoSuchBucket" -> " (create the bucket or fix store.bucket)";
            default -> "";
          };
      return ZoneguardException.failed(
          operation
              + " failed: "
              + code
              + (msg == null ? "" : ": " + Text.firstLine(msg))
              + " (HTTP "
              + ase.statusCode()
              + ")"
              + hint,
          e);
    }
    if (e instanceof SdkClientException) {
      return ZoneguardException.failed(
          operation + " failed before AWS answered: " + Text.firstLine(e.getMessage()), e);
    }
    return ZoneguardException.failed(operation + " failed: " + Text.firstLine(e.getMessage()), e);
  }
}
