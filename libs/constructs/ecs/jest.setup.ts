import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';

// cdktf's matchers (toHaveResourceWithProperties, toBeValidTerraform, …); the import above brings their types.
Testing.setupJest();
