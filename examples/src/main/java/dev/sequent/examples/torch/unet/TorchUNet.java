package dev.sequent.examples.torch.unet;

import dev.sequent.dsl.Layer;
import dev.sequent.dsl.Module;
import dev.sequent.dsl.Use;
import dev.sequent.dsl.torch.Cat;
import dev.sequent.dsl.torch.Conv2d;
import dev.sequent.dsl.torch.ConvTranspose2d;

/**
 * The PyTorch {@code UNet} of {@code fixtures/make_unet_fixtures.py}: two levels down, two up, each
 * up a transposed convolution whose output joins the encoder's of the same size on the channel axis,
 * as its forward does:
 * <pre>
 * x1 = self.inc(x); x2 = self.down1(x1); x3 = self.down2(x2)
 * y = self.conv1(torch.cat([x2, self.up1(x3)], dim=1))
 * y = self.conv2(torch.cat([x1, self.up2(y)], dim=1))
 * return self.outc(y)
 * </pre>
 * It loads that module's {@code state_dict} ({@code fixtures/unet/torch_unet_state_dict.pt}) by the
 * names the structure gives ({@code down1.1.3.weight}), and its summary is torchinfo's table.
 */
@Module(input = {3, 16, 16}, name = "UNet")
public interface TorchUNet {
  @Use(value = DoubleConv.class, args = "out = 8") Layer inc();      // 8 x 16 x 16
  @Use(value = Down.class, args = "out = 16") Layer down1();         // 16 x 8 x 8
  @Use(value = Down.class, args = "out = 32") Layer down2();         // 32 x 4 x 4
  @ConvTranspose2d(out = 16, kernel = 2, stride = 2) Layer up1();    // 16 x 8 x 8
  @Cat(from = {"down1", "up1"}) Layer skip1();                       // 32 x 8 x 8
  @Use(value = DoubleConv.class, args = "out = 16") Layer conv1();
  @ConvTranspose2d(out = 8, kernel = 2, stride = 2) Layer up2();     // 8 x 16 x 16
  @Cat(from = {"inc", "up2"}) Layer skip2();                         // 16 x 16 x 16
  @Use(value = DoubleConv.class, args = "out = 8") Layer conv2();
  @Conv2d(out = 2, kernel = 1) Layer outc();
}
