package dev.livestack.sample;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.lambda.Function;
import software.constructs.Construct;

/**
 * Stored orders, keyed by {@code orderId}. Its contract: a writer may put and update items and finds the table
 * in {@value #VARIABLE}.
 */
final class OrdersTable extends Construct {
    /** The variable clients read the table name from. */
    static final String VARIABLE = "ORDERS_TABLE_NAME";

    private final Table table;

    OrdersTable(Construct scope, String id) {
        super(scope, id);
        table = Table.Builder.create(this, "Table")
                .partitionKey(Attribute.builder().name("orderId").type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                // A development sample: deleting the stack should leave nothing behind.
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        Contracts.output(this, VARIABLE, table.getTableName(), "name of the orders table");
    }

    /** A function that stores orders: may write items; gets {@value #VARIABLE}. */
    void connectWriter(Function function) {
        table.grantWriteData(function);
        Contracts.provide(function, VARIABLE, table.getTableName());
    }
}
