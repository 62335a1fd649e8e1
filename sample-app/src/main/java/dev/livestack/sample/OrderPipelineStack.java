package dev.livestack.sample;

import dev.livestack.inlinepackager.InlineFunction;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * The order pipeline: ingest → orders queue → worker → orders table, with a dead-letter queue the reaper
 * replays. This class only wires: each resource's class says how it is built and what connecting to it means.
 */
public final class OrderPipelineStack extends Stack {

    /**
     * @param scope the app
     * @param id the stack name ({@value SampleApp#STACK_NAME} in the sample app)
     * @param props stack properties, e.g. the synthesizer
     */
    public OrderPipelineStack(Construct scope, String id, StackProps props) {
        super(scope, id, props);
        OrderSchema schema = new OrderSchema(this, InlineFunction.appDir());
        OrdersDeadLetterQueue deadLetters = new OrdersDeadLetterQueue(this, "OrdersDlq");
        OrdersQueue orders = new OrdersQueue(this, "Orders", deadLetters);
        OrdersTable table = new OrdersTable(this, "OrdersTable");

        Function ingest = new IngestFunction(this).function();
        schema.connect(ingest);
        orders.connectProducer(ingest);

        Function worker = new WorkerFunction(this).function();
        schema.connect(worker);
        orders.connectConsumer(worker);
        table.connectWriter(worker);

        Function reaper = new ReaperFunction(this).function();
        deadLetters.connectReplayer(reaper);
        orders.connectProducer(reaper);
    }
}
