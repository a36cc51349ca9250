/**
 * Clients for an engine deployed on AWS, shaped as Temporal's {@code WorkflowServiceStubs}: settings
 * ({@link dev.tempora.client.aws.AwsServiceStubsOptions}: explicit, from the engine's environment
 * variables, or from a CloudFormation stack's outputs), the connection
 * ({@link dev.tempora.client.aws.AwsServiceStubs}), and a {@link dev.tempora.client.WorkflowClient}
 * over it ({@link dev.tempora.client.WorkflowClient#newInstance(AwsServiceStubs, dev.tempora.client.WorkflowClientOptions)}),
 * from which the schedule client and the activity completion client come as usual.
 */
package dev.tempora.client.aws;
