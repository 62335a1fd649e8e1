// import * as cdk from 'aws-cdk-lib';
// import { Template } from 'aws-cdk-lib/assertions';
// import * as MyContainerInfrastructure from '../lib/my-container-infrastructure-stack';

// example test. To run these tests, uncomment this file along with the
// example resource in lib/my-container-infrastructure-stack.ts
test('SQS Queue Created', () => {
//   const app = new cdk.App();
//     // WHEN
//   const stack = new MyContainerInfrastructure.MyContainerInfrastructureStack(app, 'MyTestStack');
//     // THEN
//   const template = Template.fromStack(stack);

//   template.hasResourceProperties('AWS::SQS::Queue', {
//     VisibilityTimeout: 300
//   });
});
